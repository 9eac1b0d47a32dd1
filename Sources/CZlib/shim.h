// zlib (apt: zlib1g-dev): gzip decompression of MNIST-format IDX files and gzip output for test fixtures.
#include <zlib.h>
