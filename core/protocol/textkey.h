#pragma once

#include <QHashFunctions>
#include <QString>

namespace Pulsar {

// A QString as the key of a busy hash table (send contexts, message ids as text), hashed without Qt's per-process
// seed. With a seed, Qt 6.4 hashes strings with AES-NI, and on the project's 2-vCPU machines that path cost more
// than the rest of a send: the client's producer made 141-144k msg/s with it and 193-206k without it, in
// interleaved runs (docs/benchmarks.md, section 2). The seed protects a table from keys chosen to collide, so use
// this only where nobody else picks the keys that go in: contexts and ids this process made or its caller gave,
// or (a client's unacked ids) what the server it connected to sent, since that server could as well stall the
// session by flooding the connection. Tables filled with names from any client keep Qt's seeded hash.
struct TextKey
{
    // Implicit, so that lookups and inserts take the QString itself.
    TextKey(const QString &key) // NOLINT(google-explicit-constructor)
        : text(key)
    {}

    QString text;

    friend bool operator==(const TextKey &a, const TextKey &b) noexcept { return a.text == b.text; }
};

inline size_t qHash(const TextKey &key, size_t /* seed: deliberately unused, see above */) noexcept
{
    return qHash(QStringView(key.text), 0);
}

} // namespace Pulsar
