// The system libpng headers. Only CPNGShim includes this module: libpng reports errors by
// longjmp, so every libpng call must happen in C behind a setjmp (see CPNGShim).
#include <png.h>
