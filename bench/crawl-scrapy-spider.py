"""Scrapy spider equivalent to nianbao's crawl of the benchmark portals.

Used by bench/crawl-p1.sh for the side-by-side politeness benchmark: the
same start URLs (read from the sources registry nianbao uses), the same
pages followed (the annual-report column: list pages, report pages), one
request at a time per host with the same fixed delay between them,
robots.txt obeyed, retries on, the same global concurrency.

    scrapy runspider bench/crawl-scrapy-spider.py -a sources=sources.yaml \
        -s DOWNLOAD_DELAY=1 -s CONCURRENT_REQUESTS=64
"""
import re
from urllib.parse import urlparse

import scrapy
from scrapy.linkextractors import LinkExtractor


def start_urls(path):
    # The registry is YAML; its start URLs are list items under start_urls.
    with open(path, encoding="utf-8") as f:
        return re.findall(r"^\s*-\s+(https?://\S+)\s*$", f.read(), re.M)


class AnnualReportSpider(scrapy.Spider):
    name = "nianbao-bench"
    custom_settings = {
        "ROBOTSTXT_OBEY": True,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
        "CONCURRENT_REQUESTS_PER_IP": 0,
        "RANDOMIZE_DOWNLOAD_DELAY": False,
        "AUTOTHROTTLE_ENABLED": False,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "INFO",
        "USER_AGENT": "nianbao-bench-scrapy/1.0",
        "DEPTH_PRIORITY": 0,
        "REACTOR_THREADPOOL_MAXSIZE": 20,
    }

    def __init__(self, sources="sources.yaml", **kw):
        super().__init__(**kw)
        self.start_urls = start_urls(sources)
        # The report column, as nianbao's scope follows it on these portals.
        self.links = LinkExtractor(allow=(r"/zwgk/zfxxgknb/",), deny_extensions=[])

    def parse(self, response):
        host = urlparse(response.url).netloc
        for link in self.links.extract_links(response):
            if urlparse(link.url).netloc == host:
                yield response.follow(link.url, callback=self.parse)
