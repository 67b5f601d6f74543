#include "segmentformat.h"

#include "crc32c.h"
#include "fileio.h"

#include <QString>
#include <QtEndian>

#include <algorithm>
#include <cstring>

namespace Proxy::SegmentFormat {
namespace {

constexpr char SegmentMagic[8] = {'P', 'D', 'S', 'K', 'S', 'E', 'G', '1'};
constexpr char IndexMagic[8] = {'P', 'D', 'S', 'K', 'I', 'D', 'X', '1'};
constexpr quint32 FormatVersion = 1;
constexpr qint64 IndexHeaderSize = 64;
constexpr qint64 ScanChunk = 1024 * 1024;

template<typename T>
void put(char *p, T v)
{
    qToLittleEndian<T>(v, p);
}

template<typename T>
T get(const char *p)
{
    return qFromLittleEndian<T>(p);
}

quint32 recordCrc(const char *header, const char *payload, qint64 size)
{
    quint32 crc = crc32c(0, header, 4);
    crc = crc32c(crc, header + 8, 8);
    return crc32c(crc, payload, static_cast<std::size_t>(size));
}

} // namespace

QByteArray encodeHeader(const SegmentHeader &header)
{
    QByteArray out(HeaderSize, '\0');
    char *p = out.data();
    std::memcpy(p, SegmentMagic, 8);
    put<quint32>(p + 8, FormatVersion);
    put<quint32>(p + 12, static_cast<quint32>(HeaderSize));
    put<qint64>(p + 16, header.ledgerId);
    put<qint64>(p + 24, header.firstEntryId);
    put<qint64>(p + 32, header.createdAtMs);
    put<quint32>(p + 60, crc32c(p, 60));
    return out;
}

bool decodeHeader(const char *p, qint64 size, SegmentHeader *header)
{
    if (size < HeaderSize || std::memcmp(p, SegmentMagic, 8) != 0)
        return false;
    if (get<quint32>(p + 60) != crc32c(p, 60) || get<quint32>(p + 8) != FormatVersion)
        return false;
    header->ledgerId = get<qint64>(p + 16);
    header->firstEntryId = get<qint64>(p + 24);
    header->createdAtMs = get<qint64>(p + 32);
    return true;
}

void appendRecord(QByteArray &buffer, qint64 entryId, const char *payload, qint64 size)
{
    const qsizetype at = buffer.size();
    buffer.resize(at + RecordHeaderSize + size);
    char *p = buffer.data() + at;
    put<quint32>(p, static_cast<quint32>(size));
    put<qint64>(p + 8, entryId);
    if (size > 0)
        std::memcpy(p + RecordHeaderSize, payload, static_cast<size_t>(size));
    put<quint32>(p + 4, recordCrc(p, p + RecordHeaderSize, size));
}

void IndexBuilder::add(qint64 entryId, qint64 offset, QVector<IndexPoint> &points)
{
    if (m_lastEntryId < 0 || entryId - m_lastEntryId >= IndexStrideEntries ||
        offset - m_lastOffset >= IndexStrideBytes) {
        points.append(IndexPoint{static_cast<quint32>(entryId - m_firstEntryId), static_cast<quint32>(offset)});
        m_lastEntryId = entryId;
        m_lastOffset = offset;
    }
}

ScanResult scanRecords(int fd, qint64 offset, qint64 fileEnd, qint64 firstEntryId, qint64 maxEntries,
                       const RecordCallback &onRecord)
{
    ScanResult result;
    result.endOffset = offset;
    QByteArray buffer;
    qint64 bufferStart = 0;
    qint64 bufferLen = 0;
    // Makes [at, at + n) available in buffer; false at end of file or on a read error.
    auto ensure = [&](qint64 at, qint64 n) -> const char * {
        if (at >= bufferStart && at + n <= bufferStart + bufferLen)
            return buffer.constData() + (at - bufferStart);
        const qint64 want = std::min(std::max(n, ScanChunk), fileEnd - at);
        if (want < n)
            return nullptr;
        if (buffer.size() < want)
            buffer.resize(want);
        int err = 0;
        const qint64 got = FileIo::readAt(fd, buffer.data(), want, at, &err);
        if (got < 0)
            result.ioError = err;
        bufferStart = at;
        bufferLen = std::max<qint64>(got, 0);
        result.bytesRead += bufferLen;
        return bufferLen >= n ? buffer.constData() : nullptr;
    };

    qint64 expected = firstEntryId;
    while (result.entries < maxEntries && offset + RecordHeaderSize <= fileEnd) {
        const char *h = ensure(offset, RecordHeaderSize);
        if (!h)
            break;
        const auto size = static_cast<qint64>(get<quint32>(h));
        const quint32 crc = get<quint32>(h + 4);
        const auto entryId = get<qint64>(h + 8);
        if (entryId != expected || size > MaxEntryBytes || offset + RecordHeaderSize + size > fileEnd)
            break;
        const char *r = ensure(offset, RecordHeaderSize + size);
        if (!r || recordCrc(r, r + RecordHeaderSize, size) != crc)
            break;
        const bool more = !onRecord || onRecord(entryId, offset, r + RecordHeaderSize, size);
        offset += RecordHeaderSize + size;
        result.endOffset = offset;
        ++result.entries;
        ++expected;
        if (!more) {
            result.stoppedByCallback = true;
            break;
        }
    }
    return result;
}

QByteArray encodeIndex(const SegmentIndex &index)
{
    QByteArray out(IndexHeaderSize + index.points.size() * 8 + 4, '\0');
    char *p = out.data();
    std::memcpy(p, IndexMagic, 8);
    put<quint32>(p + 8, FormatVersion);
    put<quint32>(p + 12, static_cast<quint32>(index.points.size()));
    put<qint64>(p + 16, index.ledgerId);
    put<qint64>(p + 24, index.firstEntryId);
    put<qint64>(p + 32, index.entries);
    put<qint64>(p + 40, index.endOffset);
    put<qint64>(p + 48, index.lastWriteMs);
    char *q = p + IndexHeaderSize;
    for (const IndexPoint &pt : index.points) {
        put<quint32>(q, pt.entryDelta);
        put<quint32>(q + 4, pt.offset);
        q += 8;
    }
    put<quint32>(q, crc32c(p, static_cast<std::size_t>(q - p)));
    return out;
}

bool decodeIndex(const QByteArray &bytes, SegmentIndex *index)
{
    const char *p = bytes.constData();
    if (bytes.size() < IndexHeaderSize + 4 || std::memcmp(p, IndexMagic, 8) != 0 ||
        get<quint32>(p + 8) != FormatVersion)
        return false;
    const qint64 count = get<quint32>(p + 12);
    if (bytes.size() != IndexHeaderSize + count * 8 + 4)
        return false;
    const qint64 crcAt = IndexHeaderSize + count * 8;
    if (get<quint32>(p + crcAt) != crc32c(p, static_cast<std::size_t>(crcAt)))
        return false;
    index->ledgerId = get<qint64>(p + 16);
    index->firstEntryId = get<qint64>(p + 24);
    index->entries = get<qint64>(p + 32);
    index->endOffset = get<qint64>(p + 40);
    index->lastWriteMs = get<qint64>(p + 48);
    index->points.resize(count);
    const char *q = p + IndexHeaderSize;
    for (qint64 i = 0; i < count; ++i, q += 8)
        index->points[i] = IndexPoint{get<quint32>(q), get<quint32>(q + 4)};
    return true;
}

IndexPoint pointFor(const QVector<IndexPoint> &points, qint64 entryDelta)
{
    auto it = std::upper_bound(points.cbegin(), points.cend(), entryDelta,
                               [](qint64 d, const IndexPoint &pt) { return d < static_cast<qint64>(pt.entryDelta); });
    return it == points.cbegin() ? IndexPoint{0, static_cast<quint32>(HeaderSize)} : *(it - 1);
}

QString segmentFileName(qint64 firstEntryId)
{
    return QStringLiteral("%1.seg").arg(firstEntryId, 20, 10, QLatin1Char('0'));
}

QString indexFileName(qint64 firstEntryId)
{
    return QStringLiteral("%1.idx").arg(firstEntryId, 20, 10, QLatin1Char('0'));
}

qint64 parseSegmentFileName(const QString &name)
{
    if (name.size() != 24 || !name.endsWith(QLatin1String(".seg")))
        return -1;
    bool ok = false;
    const qint64 v = QStringView(name).left(20).toLongLong(&ok);
    return ok ? v : -1;
}

} // namespace Proxy::SegmentFormat
