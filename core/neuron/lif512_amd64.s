//go:build amd64 && !purego

#include "textflag.h"

#include "lif2consts_amd64.h"

// func lif2AVX512(c *lif2Consts, v, in, tl, sa, sb *float64, sp, rf *uint8, table *uint64, n int) int
//
// lif2AVX2 eight neurons at a time: the same operations in the same order,
// with mask registers in place of blends. Half the instructions per neuron
// matter on cores that split 512-bit operations in two but decode no wider.
// n must be a multiple of 8.
TEXT ·lif2AVX512(SB), NOSPLIT, $0-88
	MOVQ c+0(FP), DX
	MOVQ v+8(FP), DI
	MOVQ in+16(FP), SI
	MOVQ tl+24(FP), R8
	MOVQ sa+32(FP), R9
	MOVQ sb+40(FP), R10
	MOVQ sp+48(FP), R11
	MOVQ rf+56(FP), R12
	MOVQ table+64(FP), R13
	MOVQ n+72(FP), CX

	VBROADCASTSD TREF(DX), Z9
	VBROADCASTSD K(DX), Z10
	VBROADCASTSD DA(DX), Z11
	VBROADCASTSD DB(DX), Z12
	VBROADCASTSD EA(DX), Z13
	VBROADCASTSD EB(DX), Z14
	VBROADCASTSD T(DX), Z15
	VBROADCASTSD VR(DX), Z16
	VBROADCASTSD R(DX), Z17
	VBROADCASTSD VTH(DX), Z18
	VBROADCASTSD VRESET(DX), Z19
	VBROADCASTSD BIAS(DX), Z20
	VPXORQ       Z21, Z21, Z21
	XORQ AX, AX

loop:
	CMPQ AX, CX
	JGE  done
	VMOVUPD (DI)(AX*8), Z0  // vi
	VMOVUPD (R9)(AX*8), Z1  // x (first channel)
	VMOVUPD (R10)(AX*8), Z2 // y (second channel)
	VMULPD  Z11, Z1, Z3
	VMOVUPD Z3, (R9)(AX*8)  // x·decay
	VMULPD  Z12, Z2, Z3
	VMOVUPD Z3, (R10)(AX*8) // y·decay
	VMOVUPD (R8)(AX*8), Z3  // last spike time
	VSUBPD  Z3, Z15, Z4     // since = t − tl
	VMOVAPD Z21, Z5
	CMPQ    INZERO(DX), $0
	JNE     haveinput       // input is known to be zero: neither read nor cleared
	VMOVUPD (SI)(AX*8), Z5  // input,
	VMOVUPD Z21, (SI)(AX*8) // which is consumed

haveinput:
	CMPQ BIASON(DX), $0
	JEQ  nobias
	VADDPD Z20, Z5, Z5

nobias:
	VSUBPD Z13, Z0, Z6 // vi − Ea
	VMULPD Z6, Z1, Z6
	VSUBPD Z6, Z5, Z5
	VSUBPD Z14, Z0, Z6 // vi − Eb
	VMULPD Z6, Z2, Z6
	VSUBPD Z6, Z5, Z5  // cur
	VMULPD Z17, Z5, Z5
	VSUBPD Z0, Z16, Z6 // vr − vi
	VADDPD Z5, Z6, Z6
	VMULPD Z10, Z6, Z6
	VADDPD Z6, Z0, Z6  // nv

	VCMPPD  $2, Z9, Z4, K1   // refractory: since ≤ tref
	VCMPPD  $14, Z9, Z4, K2  // since > tref
	VCMPPD  $13, Z18, Z6, K3 // nv ≥ vth
	KANDW   K3, K2, K2       // fire
	VMOVAPD Z0, K1, Z6       // refractory: V is held
	VMOVAPD Z19, K2, Z6
	VMOVUPD Z6, (DI)(AX*8)
	KMOVW   K2, BX
	TESTQ   BX, BX
	JZ      flags                 // no spike: tl is only read
	VMOVUPD Z15, K2, (R8)(AX*8)   // tl = t where fired

flags:
	KORW  K1, K2, K4
	KMOVW K4, R14
	MOVQ  (R13)(BX*8), BX
	MOVQ  BX, (R11)(AX*1)       // spike flags
	MOVQ  (R13)(R14*8), R14
	MOVQ  R14, (R12)(AX*1)      // refractory flags
	ADDQ  $8, AX
	JMP   loop

done:
	VZEROUPPER
	MOVQ AX, ret+80(FP)
	RET
