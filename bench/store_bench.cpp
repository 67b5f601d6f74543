// Throughput and append-to-commit latency of the proxy's durable store (core/proxy/store), and the
// open() time of a large store. Prints one line per scenario; see docs/architecture-store.md.
//
//   pdesk_store_bench [--dir DIR] [--messages N] [--open-entries N] [--skip-open] [--skip-append]
#include "proxy/store/messagestore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <vector>

using Proxy::MessageStore;
using Proxy::StoreOptions;

namespace {

const QString Topic = QStringLiteral("persistent://public/default/bench");

const char *modeName(StoreOptions::SyncMode mode)
{
    return mode == StoreOptions::Always ? "always" : mode == StoreOptions::Interval ? "interval" : "none";
}

struct Figures
{
    double msgsPerSec = 0;
    double commitsPerSec = 0;
    double p50Us = 0;
    double p99Us = 0;
    double maxUs = 0;
};

// Keeps inFlight appends outstanding (a producer window) until messages are committed.
Figures runAppend(const QString &dir, StoreOptions::SyncMode mode, int payload, int inFlight, qint64 messages)
{
    StoreOptions options;
    options.dataDir = dir;
    options.sync = mode;
    options.autoTrim = false;
    MessageStore store(options);
    QString error;
    if (!store.open(&error)) {
        std::fprintf(stderr, "open: %s\n", qPrintable(error));
        std::exit(1);
    }
    store.createTopic(Topic);
    const QByteArray data(payload, 'x');
    std::vector<qint64> sentAt(static_cast<size_t>(messages));
    std::vector<qint64> latency;
    latency.reserve(static_cast<size_t>(messages));
    QElapsedTimer clock;
    qint64 sent = 0;
    qint64 done = 0;
    qint64 commits = 0;
    QEventLoop loop;
    auto pump = [&] {
        while (sent < messages && sent - done < inFlight) {
            sentAt[static_cast<size_t>(sent)] = clock.nsecsElapsed();
            if (store.append(Topic, data, static_cast<quint64>(sent)) < 0)
                break; // pending bound: wait for the next commit
            ++sent;
        }
    };
    QObject::connect(&store, &MessageStore::committed, &loop, [&](const QVector<quint64> &tickets) {
        const qint64 now = clock.nsecsElapsed();
        for (quint64 t : tickets)
            latency.push_back(now - sentAt[static_cast<size_t>(t)]);
        done += tickets.size();
        ++commits;
        if (done >= messages)
            loop.quit();
        else
            pump();
    });
    QObject::connect(&store, &MessageStore::appendFailed, &loop, [&](const QVector<quint64> &, const QString &reason) {
        std::fprintf(stderr, "append failed: %s\n", qPrintable(reason));
        std::exit(1);
    });
    clock.start();
    QTimer::singleShot(0, &loop, pump);
    loop.exec();
    const double seconds = static_cast<double>(clock.nsecsElapsed()) / 1e9;
    store.close();
    std::sort(latency.begin(), latency.end());
    auto pct = [&](double p) {
        return static_cast<double>(latency[std::min(latency.size() - 1, static_cast<size_t>(p * latency.size()))]) /
               1e3;
    };
    return Figures{static_cast<double>(messages) / seconds, static_cast<double>(commits) / seconds, pct(0.50),
                   pct(0.99), static_cast<double>(latency.back()) / 1e3};
}

void runOpenTime(const QString &dir, qint64 entries)
{
    StoreOptions options;
    options.dataDir = dir;
    options.sync = StoreOptions::None; // building the data set only; open() is what is measured
    options.autoTrim = false;
    {
        MessageStore store(options);
        if (!store.open())
            std::exit(1);
        store.createTopic(Topic);
        qint64 have = store.lastCommittedEntryId(Topic) + 1;
        if (have < entries) {
            std::printf("creating a store of %lld entries of 100 B ...\n", entries);
            std::fflush(stdout);
            const QByteArray data(100, 'y');
            QEventLoop loop;
            qint64 done = have;
            qint64 sent = have;
            auto pump = [&] {
                while (sent < entries && sent - done < 20000 && store.append(Topic, data, 0) >= 0)
                    ++sent;
            };
            QObject::connect(&store, &MessageStore::committed, &loop, [&](const QVector<quint64> &t) {
                done += t.size();
                if (done >= entries)
                    loop.quit();
                else
                    pump();
            });
            QTimer::singleShot(0, &loop, pump);
            loop.exec();
        }
    }
    for (int run = 0; run < 3; ++run) {
        options.sync = StoreOptions::Always;
        MessageStore store(options);
        QElapsedTimer t;
        t.start();
        if (!store.open())
            std::exit(1);
        const qint64 openNs = t.nsecsElapsed();
        const Proxy::OpenStats s = store.openStats();
        std::printf("open: %lld entries, %d segments, %.1f ms (scanned %d segment(s), %lld records, %.1f MiB)\n",
                    store.lastCommittedEntryId(Topic) + 1, s.segments, static_cast<double>(openNs) / 1e6,
                    s.segmentsScanned, s.recordsScanned, static_cast<double>(s.bytesScanned) / (1 << 20));
        t.restart();
        store.close();
    }
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({QStringLiteral("dir"), QStringLiteral("Scratch directory (default: a temporary one)."),
                      QStringLiteral("dir")});
    parser.addOption({QStringLiteral("messages"), QStringLiteral("Messages per scenario (default 200000)."),
                      QStringLiteral("n"), QStringLiteral("200000")});
    parser.addOption({QStringLiteral("open-entries"), QStringLiteral("Entries in the open() test (default 10M)."),
                      QStringLiteral("n"), QStringLiteral("10000000")});
    parser.addOption({QStringLiteral("skip-open"), QStringLiteral("Skip the open() test.")});
    parser.addOption({QStringLiteral("skip-append"), QStringLiteral("Skip the append scenarios.")});
    parser.process(app);

    QTemporaryDir scratch(parser.isSet(QStringLiteral("dir"))
                              ? parser.value(QStringLiteral("dir")) + QStringLiteral("/bench-XXXXXX")
                              : QDir::tempPath() + QStringLiteral("/bench-XXXXXX"));
    const qint64 messages = parser.value(QStringLiteral("messages")).toLongLong();
    if (!parser.isSet(QStringLiteral("skip-append"))) {
        std::printf("%-8s %6s %9s %10s %10s %10s %10s %10s\n", "sync", "bytes", "inflight", "msgs/s", "commits/s",
                    "p50 us", "p99 us", "max us");
        int run = 0;
        for (auto mode : {StoreOptions::Always, StoreOptions::Interval, StoreOptions::None}) {
            for (int payload : {100, 1024}) {
                for (int inFlight : {1, 100, 1000}) {
                    // One in flight under fsync is ~3k/s here: keep that scenario to a few seconds.
                    const qint64 n =
                        inFlight == 1 && mode == StoreOptions::Always ? std::min<qint64>(messages, 5000) : messages;
                    const QString dir = scratch.path() + QStringLiteral("/run") + QString::number(run++);
                    const Figures f = runAppend(dir, mode, payload, inFlight, n);
                    std::printf("%-8s %6d %9d %10.0f %10.0f %10.1f %10.1f %10.1f\n", modeName(mode), payload, inFlight,
                                f.msgsPerSec, f.commitsPerSec, f.p50Us, f.p99Us, f.maxUs);
                    std::fflush(stdout);
                    QDir(dir).removeRecursively();
                }
            }
        }
    }
    if (!parser.isSet(QStringLiteral("skip-open")))
        runOpenTime(scratch.path() + QStringLiteral("/open"),
                    parser.value(QStringLiteral("open-entries")).toLongLong());
    return 0;
}
