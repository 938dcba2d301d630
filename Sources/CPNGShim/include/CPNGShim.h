#ifndef CPNGSHIM_H
#define CPNGSHIM_H
// Placeholder: the libpng shim lands with the PNG writer.
int ccpng_version_number(void);
#endif
