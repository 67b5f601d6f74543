#include "ackranges.h"

namespace Proxy {

bool AckRanges::contains(qint64 entry) const
{
    auto it = m_ranges.upper_bound(entry);
    if (it == m_ranges.begin())
        return false;
    --it;
    return entry <= it->second;
}

void AckRanges::insert(qint64 entry)
{
    insertRange(entry, entry);
}

void AckRanges::insertRange(qint64 first, qint64 last)
{
    if (last < first)
        return;
    // Absorb every range that overlaps or touches [first, last].
    auto it = m_ranges.upper_bound(first);
    if (it != m_ranges.begin()) {
        auto previous = std::prev(it);
        if (previous->second + 1 >= first)
            it = previous;
    }
    while (it != m_ranges.end() && it->first <= last + 1) {
        first = std::min(first, it->first);
        last = std::max(last, it->second);
        m_count -= it->second - it->first + 1;
        it = m_ranges.erase(it);
    }
    m_ranges.emplace(first, last);
    m_count += last - first + 1;
}

qint64 AckRanges::takeLeadingRangeFrom(qint64 next)
{
    if (m_ranges.empty() || m_ranges.begin()->first != next)
        return next - 1;
    const qint64 last = m_ranges.begin()->second;
    m_count -= last - next + 1;
    m_ranges.erase(m_ranges.begin());
    return last;
}

qint64 AckRanges::firstGapFrom(qint64 from) const
{
    auto it = m_ranges.upper_bound(from);
    if (it == m_ranges.begin())
        return from;
    --it;
    return from <= it->second ? it->second + 1 : from;
}

std::vector<std::pair<qint64, qint64>> AckRanges::ranges() const
{
    return std::vector<std::pair<qint64, qint64>>(m_ranges.begin(), m_ranges.end());
}

} // namespace Proxy
