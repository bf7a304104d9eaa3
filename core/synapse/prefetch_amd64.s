//go:build amd64 && !purego

#include "textflag.h"

// Prefetches do not wait for memory: the misses of a whole row overlap
// instead of each load waiting for the one before.

// func prefetchF64At(base *float64, idx *int32, n, lo, hi int)
//
// PREFETCHT0 base[q] for q = idx[k], k < n, where lo ≤ q < hi.
TEXT ·prefetchF64At(SB), NOSPLIT, $0-40
	MOVQ base+0(FP), DI
	MOVQ idx+8(FP), SI
	MOVQ n+16(FP), CX
	MOVQ lo+24(FP), R8
	MOVQ hi+32(FP), R9
	XORQ AX, AX

loop:
	CMPQ    AX, CX
	JGE     done
	MOVLQSX (SI)(AX*4), DX
	INCQ    AX
	CMPQ    DX, R8
	JLT     loop
	CMPQ    DX, R9
	JGE     loop
	PREFETCHT0 (DI)(DX*8)
	JMP     loop

done:
	RET

// func prefetchSpan(p unsafe.Pointer, n int)
//
// PREFETCHT0 every 64-byte line of [p, p+n).
TEXT ·prefetchSpan(SB), NOSPLIT, $0-16
	MOVQ p+0(FP), AX
	MOVQ n+8(FP), CX
	ADDQ AX, CX

loopl:
	CMPQ AX, CX
	JAE  donel
	PREFETCHT0 (AX)
	ADDQ $64, AX
	JMP  loopl

donel:
	RET

// func prefetchI32Stride(base *int32, idx *int32, n, stride int)
//
// PREFETCHT0 base[idx[k]·stride] for k < n.
TEXT ·prefetchI32Stride(SB), NOSPLIT, $0-32
	MOVQ base+0(FP), DI
	MOVQ idx+8(FP), SI
	MOVQ n+16(FP), CX
	MOVQ stride+24(FP), R8
	XORQ AX, AX

loops:
	CMPQ    AX, CX
	JGE     dones
	MOVLQSX (SI)(AX*4), DX
	IMULQ   R8, DX
	PREFETCHT0 (DI)(DX*4)
	INCQ    AX
	JMP     loops

dones:
	RET
