#pragma once

#include <QtGlobal>

#include <map>
#include <utility>
#include <vector>

namespace Proxy {

// The individually acknowledged entries of a subscription above its mark-delete position, kept as disjoint
// closed ranges (Pulsar's individuallyDeletedMessages). A Shared subscription with one stuck message and a
// million acknowledged after it holds one range, not a million entries.
class AckRanges final
{
public:
    bool contains(qint64 entry) const;
    // Adds one entry, merging with its neighbours.
    void insert(qint64 entry);
    void insertRange(qint64 first, qint64 last);
    // If the lowest range starts at `next`, removes it and returns its last entry; otherwise returns next - 1.
    // Lets the mark-delete position jump over a whole acknowledged range at once.
    qint64 takeLeadingRangeFrom(qint64 next);
    // The first entry >= from that is not in a range.
    qint64 firstGapFrom(qint64 from) const;
    void clear()
    {
        m_ranges.clear();
        m_count = 0;
    }
    bool isEmpty() const { return m_ranges.empty(); }
    qint64 count() const { return m_count; } // entries covered
    int rangeCount() const { return int(m_ranges.size()); }
    std::vector<std::pair<qint64, qint64>> ranges() const;

private:
    std::map<qint64, qint64> m_ranges; // first -> last
    qint64 m_count = 0;
};

} // namespace Proxy
