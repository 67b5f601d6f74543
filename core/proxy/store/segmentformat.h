#pragma once

#include <QByteArray>
#include <QVector>

#include <functional>

// The on-disk layout of a segment file and of its sealed index (see docs/architecture-store.md):
//
//   segment  = header (64 bytes) + records, in a file preallocated to StoreOptions::segmentBytes
//   record   = u32 payloadLength | u32 crc32c(length, entryId, payload) | u64 entryId | payload
//   index    = header + (u32 entryDelta, u32 offset) points + u32 crc32c of all that
//
// All integers are little-endian. The logical end of a segment is where the first record fails its check
// (length, expected entry id or CRC): preallocated space reads as zeros, which never forms a valid record.
namespace Proxy::SegmentFormat {

constexpr qint64 HeaderSize = 64;
constexpr qint64 RecordHeaderSize = 16;
constexpr qint64 MaxEntryBytes = 128 * 1024 * 1024;
// A sparse index point every 64 entries or 32 KiB, whichever comes first: 10M small entries cost ~1.3 MB of
// index in memory, and a read lands at most 32 KiB (or one record) before the entry it wants.
constexpr qint64 IndexStrideEntries = 64;
constexpr qint64 IndexStrideBytes = 32 * 1024;

struct IndexPoint
{
    quint32 entryDelta = 0; // entry id minus the segment's first entry id
    quint32 offset = 0;     // byte offset of that record in the segment file
};

struct SegmentHeader
{
    qint64 ledgerId = -1;
    qint64 firstEntryId = -1;
    qint64 createdAtMs = 0;
};

QByteArray encodeHeader(const SegmentHeader &header);
bool decodeHeader(const char *data, qint64 size, SegmentHeader *header);

inline qint64 recordSize(qint64 payloadSize)
{
    return RecordHeaderSize + payloadSize;
}
void appendRecord(QByteArray &buffer, qint64 entryId, const char *payload, qint64 size);

// Decides where sparse index points go as records are laid out one after another.
class IndexBuilder
{
public:
    explicit IndexBuilder(qint64 firstEntryId = 0, qint64 lastPointEntryId = -1, qint64 lastPointOffset = 0)
        : m_firstEntryId(firstEntryId)
        , m_lastEntryId(lastPointEntryId)
        , m_lastOffset(lastPointOffset)
    {}
    void add(qint64 entryId, qint64 offset, QVector<IndexPoint> &points);

private:
    qint64 m_firstEntryId;
    qint64 m_lastEntryId;
    qint64 m_lastOffset;
};

// Record-by-record validation. onRecord returns false to stop after the record it was given.
struct ScanResult
{
    qint64 endOffset = 0; // just past the last valid record visited
    qint64 entries = 0;   // valid records visited
    qint64 bytesRead = 0; // bytes fetched from the file (for the start-up counters)
    int ioError = 0;      // errno of a failed read; the scan ends there
    bool stoppedByCallback = false;
};
using RecordCallback = std::function<bool(qint64 entryId, qint64 offset, const char *payload, qint64 size)>;
ScanResult scanRecords(int fd, qint64 offset, qint64 fileEnd, qint64 firstEntryId, qint64 maxEntries,
                       const RecordCallback &onRecord);

struct SegmentIndex
{
    qint64 ledgerId = -1;
    qint64 firstEntryId = -1;
    qint64 entries = 0;
    qint64 endOffset = HeaderSize;
    qint64 lastWriteMs = 0;
    QVector<IndexPoint> points;
};

QByteArray encodeIndex(const SegmentIndex &index);
bool decodeIndex(const QByteArray &bytes, SegmentIndex *index);

// Finds the index point at or before entryId (points must be non-empty and start at delta 0).
IndexPoint pointFor(const QVector<IndexPoint> &points, qint64 entryDelta);

QString segmentFileName(qint64 firstEntryId);
QString indexFileName(qint64 firstEntryId);
// -1 if the name is not a segment file.
qint64 parseSegmentFileName(const QString &name);

} // namespace Proxy::SegmentFormat
