#include "CPNGShim.h"
#include <png.h>
int ccpng_version_number(void) { return (int)png_access_version_number(); }
