//go:build amd64 && !purego

#include "textflag.h"

// Offsets into mgConsts (arrays of four float64).
#define NEGA  0
#define K     32
#define HI    64
#define LO    96
#define LOG2E 128
#define HALF  160
#define C1    192
#define C2    224
#define P0    256
#define P1    288
#define P2    320
#define Q0    352
#define Q1    384
#define Q2    416
#define Q3    448
#define ONE   480
#define TWO   512
#define MAGIC 544

// func mgBlockAVX2(out, v *float64, n int, c *mgConsts)
//
// out[i] = 1/(1 + k·e^{−a·v[i]}) four at a time, in mgExp's order of
// operations (no fused multiply-add). n must be a multiple of 4.
TEXT ·mgBlockAVX2(SB), NOSPLIT, $0-32
	MOVQ out+0(FP), DI
	MOVQ v+8(FP), SI
	MOVQ n+16(FP), CX
	MOVQ c+24(FP), DX
	VMOVUPD HI(DX), Y14
	VMOVUPD LO(DX), Y15
	VMOVUPD ONE(DX), Y13
	XORQ AX, AX

loop:
	CMPQ AX, CX
	JGE  done
	VMOVUPD (SI)(AX*8), Y0
	VMULPD  NEGA(DX), Y0, Y0 // x = −a·v
	VMINPD  Y0, Y14, Y0      // hi < x ? hi : x (NaN stays)
	VMAXPD  Y0, Y15, Y0      // lo > x ? lo : x
	VMOVUPD Y0, Y6

	VMULPD   LOG2E(DX), Y0, Y1
	VADDPD   HALF(DX), Y1, Y1
	VROUNDPD $1, Y1, Y1 // n = floor(x·log2e + 0.5)
	VMULPD   C1(DX), Y1, Y2
	VSUBPD   Y2, Y0, Y0
	VMULPD   C2(DX), Y1, Y2
	VSUBPD   Y2, Y0, Y0 // r
	VMULPD   Y0, Y0, Y3 // r²

	VMULPD P0(DX), Y3, Y4
	VADDPD P1(DX), Y4, Y4
	VMULPD Y3, Y4, Y4
	VADDPD P2(DX), Y4, Y4
	VMULPD Y4, Y0, Y4 // px
	VMULPD Q0(DX), Y3, Y5
	VADDPD Q1(DX), Y5, Y5
	VMULPD Y3, Y5, Y5
	VADDPD Q2(DX), Y5, Y5
	VMULPD Y3, Y5, Y5
	VADDPD Q3(DX), Y5, Y5 // qx
	VSUBPD Y4, Y5, Y5
	VDIVPD Y5, Y4, Y4     // px/(qx − px)
	VMULPD TWO(DX), Y4, Y4
	VADDPD Y13, Y4, Y4    // e^r

	VADDPD MAGIC(DX), Y1, Y1
	VPSLLQ $52, Y1, Y1
	VPADDQ Y1, Y4, Y4     // ·2^n
	VCMPPD    $3, Y6, Y6, Y7
	VBLENDVPD Y7, Y6, Y4, Y4 // NaN stays NaN

	VMULPD  K(DX), Y4, Y4
	VADDPD  Y13, Y4, Y4
	VDIVPD  Y4, Y13, Y4   // 1/(1 + k·e^x)
	VMOVUPD Y4, (DI)(AX*8)
	ADDQ    $4, AX
	JMP     loop

done:
	VZEROUPPER
	RET
