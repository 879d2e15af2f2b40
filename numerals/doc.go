// Package numerals reads the figures Chinese government reports state: ASCII
// or full-width digits with optional thousands separators and decimals,
// Chinese numerals (一件, 十二, 一百零五, 两千), digit-by-digit year numerals
// (二○一一), and the approximation markers 余, 多, 近, 超 and 约 around them.
//
// It performs no normalisation beyond what reading a number needs; callers
// that hold NFKC-normalised text get the same results faster.
package numerals
