// The system HDF5 headers plus static inline accessors for values Swift cannot import
// (H5T_NATIVE_* and H5P_DEFAULT are macros). Only CocoConvertHDF5 imports this module.
#include <hdf5.h>
