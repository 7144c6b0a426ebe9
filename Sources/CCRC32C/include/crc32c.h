#ifndef METRICS_SERVICE_CRC32C_H
#define METRICS_SERVICE_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/// CRC-32C (Castagnoli) of `length` bytes at `data`, continuing from `crc` (start with 0).
/// Uses the SSE4.2 instruction when the CPU has it, a table otherwise.
uint32_t ms_crc32c(uint32_t crc, const void *data, size_t length);

#endif
