#pragma once

#include <QtGlobal>

#include <cstddef>

namespace Proxy {

// CRC-32C (Castagnoli), the checksum of every record and index file. The SSE4.2 instruction makes it a few
// GB/s, so validating the active segment's tail at start-up costs milliseconds, not seconds.
quint32 crc32c(quint32 crc, const void *data, std::size_t size);

inline quint32 crc32c(const void *data, std::size_t size)
{
    return crc32c(0, data, size);
}

} // namespace Proxy
