#pragma once

#include <QString>

namespace Proxy {

// How the embedded store trades durability for speed; the proxy's --sync option maps onto it.
struct StoreOptions
{
    enum SyncMode
    {
        Always,   // committed = written and fdatasync'ed (an ack means the message is on disk)
        Interval, // committed = written to the OS; fdatasync every syncIntervalMs (a crash of the machine
                  // may lose the last interval, a crash of the process loses nothing)
        None,     // committed = written to the OS; fdatasync only when a segment is sealed and at close
    };

    QString dataDir;
    SyncMode sync = Always;
    int syncIntervalMs = 1000;
    // Segment files are preallocated to this size so that fdatasync never has to flush a size change.
    qint64 segmentBytes = 64 * 1024 * 1024;
    // Appended but not yet committed bytes; past it append() refuses at once (the broker answers
    // send-error 8) instead of queueing without bound. A single entry larger than this is still accepted
    // when nothing else is pending, so a big message can never be refused forever.
    qint64 maxPendingBytes = 32 * 1024 * 1024;
    // Retention of fully acknowledged data, as in Pulsar: a consumed sealed segment is deleted when it is
    // older than retentionTimeMs OR the topic is above retentionSizeBytes. Negative means unlimited; 0/0
    // deletes as soon as every durable cursor has acknowledged.
    qint64 retentionTimeMs = 0;
    qint64 retentionSizeBytes = 0;
    // Tail cache serving readCached(); oldest entries are dropped first.
    qint64 readCacheBytes = 64 * 1024 * 1024;
    // Trim topics by themselves (after cursors are persisted, when a segment is sealed, and every minute)
    // rather than only when the broker calls trim().
    bool autoTrim = true;
};

} // namespace Proxy
