package render

// slot is one position of a table's grid: the cell that covers it and
// where that cell starts.
type slot struct {
	cell       *Cell
	row, col   int // the covering cell's top-left position
	rows, cols int // the covering cell's extent
}

// grid lays a table's cells out on a rectangular grid the way HTML does:
// each cell takes the first free column of its row, and row spans reserve
// the positions below. Slots no cell covers (short rows) are nil.
func grid(t *Table) [][]*slot {
	var g [][]*slot
	ensure := func(r, c int) {
		for len(g) <= r {
			g = append(g, nil)
		}
		for len(g[r]) <= c {
			g[r] = append(g[r], nil)
		}
	}
	for r := range t.Rows {
		ensure(r, 0)
		c := 0
		for i := range t.Rows[r] {
			cell := &t.Rows[r][i]
			for c < len(g[r]) && g[r][c] != nil {
				c++
			}
			rows, cols := max(1, cell.RowSpan), max(1, cell.ColSpan)
			s := &slot{cell: cell, row: r, col: c, rows: rows, cols: cols}
			for dr := range rows {
				for dc := range cols {
					ensure(r+dr, c+dc)
					if g[r+dr][c+dc] == nil {
						g[r+dr][c+dc] = s
					}
				}
			}
			c += cols
		}
	}
	width := 0
	for _, row := range g {
		width = max(width, len(row))
	}
	for r := range g {
		for len(g[r]) < width {
			g[r] = append(g[r], nil)
		}
	}
	return g
}
