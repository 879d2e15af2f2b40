// Package textnorm folds the text of Chinese government pages into one form
// for matching labels and names: Unicode NFKC (full-width digits, letters and
// brackets become ASCII, ideographic spaces become spaces), pinyin glosses
// that mirror sites inject after characters ("根據(jù)") removed, and
// Traditional characters converted to Simplified with OpenCC's t2s
// dictionaries (github.com/longbridgeapp/opencc), so that 申請/複議/總計/製發
// match the template labels 申请/复议/总计/制发.
//
// Conversion is decided per document: HasTraditional looks for characters
// outside GB 2312 that OpenCC maps to something else, so simplified pages
// (the vast majority) never pay for the dictionary.
package textnorm
