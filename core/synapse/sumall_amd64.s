//go:build amd64 && !purego

#include "textflag.h"

// func sumCondAVX2(in, v, inv *float64, n int, gain, rev float64)
//
// in[q] −= g·(v[q] − e), or with inv (not nil) in[q] −= g·(v[q] − e)·inv[q]:
// sumAll's conductance outputs four at a time, in its order of operations
// (no fused multiply-add). n must be a multiple of 4.
TEXT ·sumCondAVX2(SB), NOSPLIT, $0-48
	MOVQ         in+0(FP), DI
	MOVQ         v+8(FP), SI
	MOVQ         inv+16(FP), DX
	MOVQ         n+24(FP), CX
	VBROADCASTSD gain+32(FP), Y8
	VBROADCASTSD rev+40(FP), Y9
	XORQ         AX, AX
	TESTQ        CX, CX
	JLE          done
	TESTQ        DX, DX
	JNE          mg

plain:
	VMOVUPD (SI)(AX*8), Y0
	VSUBPD  Y9, Y0, Y0     // v − e
	VMULPD  Y0, Y8, Y0     // g·(v − e)
	VMOVUPD (DI)(AX*8), Y1
	VSUBPD  Y0, Y1, Y1
	VMOVUPD Y1, (DI)(AX*8)
	ADDQ    $4, AX
	CMPQ    AX, CX
	JLT     plain
	JMP     done

mg:
	VMOVUPD (SI)(AX*8), Y0
	VSUBPD  Y9, Y0, Y0     // v − e
	VMULPD  Y0, Y8, Y0     // g·(v − e)
	VMULPD  (DX)(AX*8), Y0, Y0 // ·inv
	VMOVUPD (DI)(AX*8), Y1
	VSUBPD  Y0, Y1, Y1
	VMOVUPD Y1, (DI)(AX*8)
	ADDQ    $4, AX
	CMPQ    AX, CX
	JLT     mg

done:
	VZEROUPPER
	RET
