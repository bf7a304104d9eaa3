//go:build amd64 && !purego

#include "textflag.h"

#include "lif2consts_amd64.h"

// STEP is one step of four neurons at AX, in update2's order of
// operations. IN reads and clears the input (or does nothing: input known
// to be zero); BIAS adds the constant current (or does nothing). The two
// are chosen once per call, outside the loop, so the loop has no tests of
// them.
#define STEP(IN, ADDBIAS) \
	VMOVUPD (DI)(AX*8), Y0  \ // vi
	VMOVUPD (R9)(AX*8), Y1  \ // x (first channel)
	VMOVUPD (R10)(AX*8), Y2 \ // y (second channel)
	VMULPD  Y11, Y1, Y3     \
	VMOVUPD Y3, (R9)(AX*8)  \ // x·decay
	VMULPD  Y12, Y2, Y3     \
	VMOVUPD Y3, (R10)(AX*8) \ // y·decay
	VMOVUPD (R8)(AX*8), Y3  \ // last spike time
	VSUBPD  Y3, Y15, Y4     \ // since = t − tl
	IN                      \
	ADDBIAS                 \
	VSUBPD  Y13, Y0, Y6     \ // vi − Ea
	VMULPD  Y6, Y1, Y6      \
	VSUBPD  Y6, Y5, Y5      \
	VSUBPD  Y14, Y0, Y6     \ // vi − Eb
	VMULPD  Y6, Y2, Y6      \
	VSUBPD  Y6, Y5, Y5      \ // cur
	VMULPD  R(DX), Y5, Y5   \
	VMOVUPD VR(DX), Y6      \
	VSUBPD  Y0, Y6, Y6      \ // vr − vi
	VADDPD  Y5, Y6, Y6      \
	VMULPD  Y10, Y6, Y6     \
	VADDPD  Y6, Y0, Y6      \ // nv
	VCMPPD    $2, Y9, Y4, Y7       \ // refractory: since ≤ tref
	VCMPPD    $13, VTH(DX), Y6, Y1 \ // nv ≥ vth
	VANDNPD   Y1, Y7, Y8           \ // fire: not refractory and nv ≥ vth
	VBLENDVPD Y7, Y0, Y6, Y6       \ // refractory: V is held
	VBLENDVPD Y8, VRESET(DX), Y6, Y6 \
	VMOVUPD   Y6, (DI)(AX*8)       \
	VMOVMSKPD Y8, BX               \
	VMOVMSKPD Y7, R14              \
	ORQ       BX, R14              \
	MOVL      (R13)(R14*4), R14    \
	MOVL      R14, (R12)(AX*1)     \ // refractory flags
	TESTQ     BX, BX               \
	JNZ       3(PC)                \
	MOVL      $0, (R11)(AX*1)      \ // no spike: tl is only read, no index listed
	JMP       17(PC)               \
	MOVL      (R13)(BX*4), R14     \
	MOVL      R14, (R11)(AX*1)     \ // spike flags
	VBLENDVPD Y8, Y15, Y3, Y3      \ // tl = t where fired
	VMOVUPD   Y3, (R8)(AX*8)       \
	MOVQ      spk+80(FP), R14      \ // list the spiking lanes: CX and DX
	MOVQ      nspk+96(FP), CX      \ // are borrowed and reloaded after
	BSFQ      BX, DX               \
	ADDQ      AX, DX               \
	MOVL      DX, (R14)(CX*4)      \
	INCQ      CX                   \
	LEAQ      -1(BX), DX           \
	ANDQ      DX, BX               \
	JNZ       -6(PC)               \
	MOVQ      CX, nspk+96(FP)      \
	MOVQ      n+72(FP), CX         \
	MOVQ      c+0(FP), DX          \
	ADDQ      $4, AX

// READIN reads the input and consumes it; ZERO is the input known to be
// zero.
#define READIN VMOVUPD (SI)(AX*8), Y5; VXORPD Y7, Y7, Y7; VMOVUPD Y7, (SI)(AX*8)
#define ZERO VXORPD Y5, Y5, Y5
#define ADDBIAS VADDPD BIAS(DX), Y5, Y5
#define NONE


// func lif2AVX2(c *lif2Consts, v, in, tl, sa, sb *float64, sp, rf *uint8, table *uint32, n int, spk *int32) (done, nspk int)
//
// One LIF step with two conductance channels, four neurons per iteration,
// in update2's order of operations. n must be a multiple of 4. The
// indices (from v) of the neurons that spike go to spk, which has room
// for n; spikes are rare, so listing them where they are found costs less
// than a second pass over the flags.
TEXT ·lif2AVX2(SB), NOSPLIT, $0-104
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
	MOVQ $0, nspk+96(FP)

	VMOVUPD TREF(DX), Y9
	VMOVUPD K(DX), Y10
	VMOVUPD DA(DX), Y11
	VMOVUPD DB(DX), Y12
	VMOVUPD EA(DX), Y13
	VMOVUPD EB(DX), Y14
	VMOVUPD T(DX), Y15
	XORQ AX, AX

	TESTQ CX, CX
	JLE   done
	CMPQ  INZERO(DX), $0
	JNE   zero
	CMPQ  BIASON(DX), $0
	JNE   inbias

in:
	STEP(READIN, NONE)
	CMPQ AX, CX
	JLT  in
	JMP  done

inbias:
	STEP(READIN, ADDBIAS)
	CMPQ AX, CX
	JLT  inbias
	JMP  done

zero:
	// Input is known to be zero: neither read nor cleared.
	CMPQ BIASON(DX), $0
	JNE  zerobias

zeronobias:
	STEP(ZERO, NONE)
	CMPQ AX, CX
	JLT  zeronobias
	JMP  done

zerobias:
	STEP(ZERO, ADDBIAS)
	CMPQ AX, CX
	JLT  zerobias

done:
	// No dirty upper halves left behind: SSE code that follows (math.Exp,
	// for one) would pay a transition penalty on every instruction.
	VZEROUPPER
	MOVQ AX, done+88(FP)
	RET
