//go:build !amd64 || purego

package model

func convBackRow(nc, nk int, gy, x *float32, ldx int, wt, gwt, gbias, gx *float32, ldgx int) {
	panic("model: convBackRow without assembly")
}
