// Helper for tst_messagestore's kill -9 test: appends to one topic for ever, 64 entries in flight, and
// prints each committed entry id on its own line as soon as committed() reports it. The test kills it
// with SIGKILL mid-stream and checks that every printed id survived.
#include "proxy/store/messagestore.h"

#include <QCoreApplication>

#include <cstdio>

namespace {

QByteArray payloadFor(qint64 id)
{
    const int size = 20 + static_cast<int>((id * 37) % 300);
    QByteArray p = "e" + QByteArray::number(id) + ':';
    p.append(size - p.size(), static_cast<char>('a' + id % 26));
    return p;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc < 3)
        return 2;
    Proxy::StoreOptions options;
    options.dataDir = QString::fromLocal8Bit(argv[1]);
    const QByteArray mode = argv[2];
    options.sync = mode == "none"       ? Proxy::StoreOptions::None
                   : mode == "interval" ? Proxy::StoreOptions::Interval
                                        : Proxy::StoreOptions::Always;
    options.segmentBytes = 256 * 1024;
    // Keep everything: the test reads back every id it saw committed.
    options.retentionTimeMs = -1;
    options.retentionSizeBytes = -1;
    Proxy::MessageStore store(options);
    QString error;
    if (!store.open(&error)) {
        std::fprintf(stderr, "open failed: %s\n", qPrintable(error));
        return 3;
    }
    const QString topic = QStringLiteral("persistent://public/default/kill");
    store.createTopic(topic);
    qint64 next = store.lastCommittedEntryId(topic) + 1;
    int inFlight = 0;
    auto pump = [&] {
        while (inFlight < 64) {
            const qint64 id = store.append(topic, payloadFor(next), static_cast<quint64>(next));
            if (id != next) {
                std::fprintf(stderr, "unexpected id %lld, wanted %lld\n", id, next);
                std::exit(4);
            }
            ++next;
            ++inFlight;
        }
    };
    QObject::connect(&store, &Proxy::MessageStore::committed, &store, [&](const QVector<quint64> &tickets) {
        QByteArray lines;
        for (quint64 t : tickets)
            lines += QByteArray::number(t) + '\n';
        std::fwrite(lines.constData(), 1, static_cast<size_t>(lines.size()), stdout);
        std::fflush(stdout);
        inFlight -= tickets.size();
        pump();
    });
    pump();
    return app.exec();
}
