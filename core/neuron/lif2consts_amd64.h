// Offsets into lif2Consts (12 arrays of four float64, then biasOn and
// inZero), for the LIF kernels in lif_amd64.s and lif512_amd64.s.
#define T      0
#define TREF   32
#define EA     64
#define EB     96
#define DA     128
#define DB     160
#define K      192
#define VR     224
#define R      256
#define VTH    288
#define VRESET 320
#define BIAS   352
#define BIASON 384
#define INZERO 392
