package render

import (
	"fmt"

	"github.com/nianbao/nianbao/metrics"
)

// narrative writes a free-text report in the 2008–2018 style of corpus 000:
// sections after Art. 32 of the 2008 regulations, totals only, in phrases
// real reports use (spec/domain.md §4).
func (b *builder) narrative() {
	r := b.r
	place := r.place()
	y := r.Year
	b.paragraph(fmt.Sprintf("根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和有关政府信息公开的要求，特向社会公开我%s政府信息公开年度工作报告。本报告中所列数据的统计期限是%d年1月1日至%d年12月31日。如对本报告有任何疑问请与%s党政综合办公室联系（地址：%s%s人民政府；邮编：%06d；电话：0943-%07d）。",
		unitWord(place), y, y, place, r.County, place, 730000+b.pick("postcode", 1000), 6000000+b.pick("phone", 999999)))

	b.heading("一、基本情况")
	b.paragraph(fmt.Sprintf("%d年，%s政府信息公开工作认真贯彻落实《条例》和党委、政府的要求，以“公开、透明、规范、廉洁、高效”为目标，健全机制，拓宽渠道，着力构建程序规范、运转协调、公开透明、便捷高效的政务公开长效机制。", y, place))
	b.paragraph("（一）加强领导，信息公开推进有序")
	b.paragraph(fmt.Sprintf("%s严格按照《条例》，层层分解任务，全面落实重点工作，平稳有序地推进政府信息公开工作。积极组织深入学习《条例》和政务公开工作的相关文件精神，全面提升业务水平。", place))
	b.paragraph("（二）规范程序，信息公开严格把关")
	items := b.state(metrics.ProactiveItems, metrics.Total)
	proactive := []string{
		"%d年度，共公开政府信息%s条。",
		"%d年度，我%s共主动公开政府信息%s条。",
		"%d年，主动公开政府信息共%s条。",
		"%d年全年共公开信息%s条。",
		"%d年，新增主动公开政府信息%s条。",
	}
	switch k := b.pick("proactive", len(proactive)); k {
	case 1:
		b.paragraph("严格落实信息公开审核制度，严把公开内容，规范公开流程，积极通过党务政务公开栏张贴通知、公告，依托微信公众号等方式推进信息公开。" +
			fmt.Sprintf(proactive[k], y, unitWord(place), items))
	default:
		b.paragraph("严格落实信息公开审核制度，严把公开内容，规范公开流程，积极通过党务政务公开栏张贴通知、公告，依托微信公众号等方式推进信息公开。" +
			fmt.Sprintf(proactive[k], y, items))
	}
	b.paragraph(fmt.Sprintf("（三）明确任务，推进重点领域信息公开。通过入户发放宣传单、悬挂横幅、摆放宣传展板等方式，先后组织发放各类宣传资料%d余份；对扶贫政策、低保评议、救助资金的使用等信息及时公示至村组。", 1000+100*b.pick("leaflets", 60)))

	b.heading("二、政府信息公开情况")
	b.paragraph("推进政务服务公开。坚持需求导向，大力推动行政审批和公共服务向线上线下一体化供给发展。及时公开城乡低保、特困人员救助供养、医疗救助等救助政策。")

	b.heading("三、政府信息公开申请的办理情况")
	requests := b.state(metrics.RequestsNew, metrics.Total)
	if b.value(metrics.RequestsNew) == 0 {
		zero := []string{
			"%d年度，没有公民、法人或其他组织提出政府信息公开申请。",
			"%d年度，没有收到政府信息公开申请。",
			"%d年，未收到依申请公开请求。",
		}
		b.paragraph(fmt.Sprintf(zero[b.pick("requests", len(zero))], y))
	} else {
		some := []string{
			"%d年度，共收到政府信息公开申请%s件，均已按规定时限予以答复。",
			"%d年，共受理信息公开申请%s件，均在法定期限内办结。",
		}
		b.paragraph(fmt.Sprintf(some[b.pick("requests", len(some))], y, requests))
	}

	b.heading("四、政府信息公开收费及减免情况")
	fees := b.state(metrics.FeesAmount, metrics.Total)
	if b.value(metrics.FeesAmount) == 0 {
		zero := []string{
			"%d年度，无政府信息公开收费及减免情况。",
			"%d年度，未收取任何费用。",
			"%d年度，政府信息公开收费和减免为零。",
		}
		b.paragraph(fmt.Sprintf(zero[b.pick("fees", len(zero))], y))
	} else {
		b.paragraph(fmt.Sprintf("%d年度，共收取政府信息公开信息处理费%s元，无减免情况。", y, fees))
	}

	b.heading("五、因政府信息公开申请行政复议、提起行政诉讼的情况")
	reviews := b.state(metrics.ReviewsTotal, metrics.Total)
	lawsuits := b.state(metrics.LawsuitsTotal, metrics.Total)
	if b.value(metrics.ReviewsTotal) == 0 && b.value(metrics.LawsuitsTotal) == 0 {
		zero := []string{
			"%d年度，没有发生因政府信息公开申请行政复议、提起行政诉讼的情况。",
			"%d年度，未发生一起因政府信息公开申请行政复议、提起行政诉讼的事项。",
		}
		b.paragraph(fmt.Sprintf(zero[b.pick("reviews", len(zero))], y))
	} else {
		b.paragraph(fmt.Sprintf("%d年度，发生因政府信息公开申请行政复议案件%s件，行政诉讼案件%s件。", y, reviews, lawsuits))
	}

	b.heading("六、存在的主要问题及改进情况")
	b.paragraph("（一）存在问题")
	b.paragraph("1.对政务公开工作的重要性认识还不到位，专职工作机构有待健全。2.公开内容比较简单，信息更新较为迟缓。3.政务公开的重点不够突出，信息质量有待提高。")
	b.paragraph("（二）改进措施")
	b.paragraph("1.进一步健全制度，加大网上公开的力度。2.提升信息公开质量，压实政务公开工作责任。3.加大督促检查力度，促进信息公开工作规范有序进行。")

	b.heading("七、其他需要报告的事项")
	b.paragraph(fmt.Sprintf("%d年度%s无其他需要报告的事项。", y, place))
}

// unitWord returns how a body refers to itself: 镇, 乡, 街道, 县 or 区.
func unitWord(place string) string {
	for _, s := range []string{"街道", "镇", "乡", "县", "区", "市"} {
		if len(place) >= len(s) && place[len(place)-len(s):] == s {
			return s
		}
	}
	return "单位"
}
