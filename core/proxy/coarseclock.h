#pragma once

#include <QDateTime>
#include <QDeadlineTimer>

#include <ctime>

namespace Proxy {

// Clocks for what the service stamps once or twice per message: statistics, the idle and ack timeouts, due times
// of nacks and delayed messages. The kernel's coarse clocks cost 3 ns on the project's machines against 21 ns for
// the precise ones, and those precise reads were 5% of the service's time while it delivered. A coarse clock
// trails real time by at most one kernel tick (1-4 ms), so a deadline checked against it is met late by that
// much, never early.

namespace Detail {
// Linux has had both coarse clocks since 2.6.32; where they are defined, reading them cannot fail.
inline qint64 clockMs(clockid_t clock)
{
    timespec ts;
    clock_gettime(clock, &ts);
    return qint64(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}
} // namespace Detail

// Milliseconds since the epoch, as QDateTime::currentMSecsSinceEpoch().
inline qint64 coarseWallClockMs()
{
#ifdef CLOCK_REALTIME_COARSE
    return Detail::clockMs(CLOCK_REALTIME_COARSE);
#else
    return QDateTime::currentMSecsSinceEpoch();
#endif
}

// Milliseconds on a monotonic clock with an arbitrary origin, for measuring intervals.
inline qint64 coarseMonotonicMs()
{
#ifdef CLOCK_MONOTONIC_COARSE
    return Detail::clockMs(CLOCK_MONOTONIC_COARSE);
#else
    return QDeadlineTimer::current().deadline();
#endif
}

} // namespace Proxy
