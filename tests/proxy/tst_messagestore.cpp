#include "proxy/store/messagestore.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <sys/resource.h>

using namespace Proxy;

namespace {

const QString Topic = QStringLiteral("persistent://public/default/t");

QByteArray payloadFor(qint64 id, int size = -1)
{
    if (size < 0)
        size = 20 + static_cast<int>((id * 37) % 300);
    QByteArray p = "e" + QByteArray::number(id) + ':';
    if (p.size() < size)
        p.append(size - p.size(), static_cast<char>('a' + id % 26));
    return p.left(std::max(size, 0));
}

// Collects what a store reports, so tests can wait on totals rather than on individual signals.
struct Outcomes
{
    explicit Outcomes(MessageStore &store)
    {
        // Connected through a member context: a store outliving this object (its close() still emits)
        // must not call into a destroyed collector.
        QObject::connect(&store, &MessageStore::committed, &m_context, [this](const QVector<quint64> &t) {
            committed += t;
            ++commitSignals;
        });
        QObject::connect(&store, &MessageStore::appendFailed, &m_context,
                         [this](const QVector<quint64> &t, const QString &reason) {
                             failed += t;
                             reasons.append(reason);
                         });
    }
    QVector<quint64> committed;
    QVector<quint64> failed;
    QStringList reasons;
    int commitSignals = 0;

private:
    QObject m_context;
};

StoreOptions optionsFor(const QTemporaryDir &dir)
{
    StoreOptions o;
    o.dataDir = dir.path();
    o.autoTrim = false;
    return o;
}

QVector<StoredEntry> readAll(MessageStore &store, const QString &topic, qint64 from, int maxCount = 1000000)
{
    QVector<StoredEntry> all;
    QSignalSpy spy(&store, &MessageStore::readCompleted);
    quint64 token = 1;
    for (;;) {
        store.readAsync(topic, from, 1000, 1 << 20, token);
        if (!spy.wait(10000))
            return all;
        const auto args = spy.takeFirst();
        if (args.at(0).toULongLong() != token)
            return {};
        const auto chunk = args.at(2).value<QVector<StoredEntry>>();
        if (chunk.isEmpty())
            return all;
        all += chunk;
        from = chunk.last().entryId + 1;
        ++token;
        if (all.size() >= maxCount)
            return all;
    }
}

QStringList filesIn(const QString &dir, const QString &pattern)
{
    QStringList out;
    QDirIterator it(dir, {pattern}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        out.append(it.next());
    out.sort();
    return out;
}

qint64 diskUsage(const QString &dir)
{
    qint64 total = 0;
    for (const QString &f : filesIn(dir, QStringLiteral("*.seg")))
        total += QFileInfo(f).size();
    return total;
}

} // namespace

class TestMessageStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void appendCommitsInOrderWithGroupCommit();
    void syncModes_data();
    void syncModes();
    void ledgerIdsNeverReused();
    void readsFromCacheAndDisk();
    void cursorsPersist();
    void metadataPersists();
    void tornTailIsDiscarded();
    void killDashNineLosesNoCommittedEntry();
    void writeFailureKeepsStoreUsable();
    void pendingBoundRefusesFast();
    void retentionDeletesConsumedSegments();
    void openReadsNoSealedSegment();
    void secondStoreOnSameDirectoryIsRefused();
};

void TestMessageStore::appendCommitsInOrderWithGroupCommit()
{
    QTemporaryDir dir;
    MessageStore store(optionsFor(dir));
    QVERIFY(store.open());
    Outcomes out(store);
    QVERIFY(store.createTopic(Topic) > 0);
    const int n = 3000;
    QVector<quint64> tickets;
    for (int i = 0; i < n; ++i) {
        const quint64 ticket = 1000 + i;
        // Empty entries included: a zero-length record must not look like preallocated space.
        QCOMPARE(store.append(Topic, i % 100 == 0 ? QByteArray() : payloadFor(i), ticket), qint64(i));
        tickets.append(ticket);
    }
    QCOMPARE(store.lastCommittedEntryId(Topic), qint64(-1)); // nothing visible before the commit signal
    QTRY_COMPARE(out.committed.size(), n);
    QCOMPARE(out.committed, tickets);
    QVERIFY2(out.commitSignals < n / 4, qPrintable(QString::number(out.commitSignals)));
    QCOMPARE(store.lastCommittedEntryId(Topic), qint64(n - 1));
    QCOMPARE(store.pendingBytes(), qint64(0));
    QVERIFY(out.failed.isEmpty());
}

void TestMessageStore::syncModes_data()
{
    QTest::addColumn<int>("mode");
    QTest::addRow("always") << int(StoreOptions::Always);
    QTest::addRow("interval") << int(StoreOptions::Interval);
    QTest::addRow("none") << int(StoreOptions::None);
}

void TestMessageStore::syncModes()
{
    QFETCH(int, mode);
    QTemporaryDir dir;
    StoreOptions o = optionsFor(dir);
    o.sync = StoreOptions::SyncMode(mode);
    o.syncIntervalMs = 50;
    o.segmentBytes = 32 * 1024;
    {
        MessageStore store(o);
        QVERIFY(store.open());
        Outcomes out(store);
        store.createTopic(Topic);
        for (int i = 0; i < 500; ++i)
            store.append(Topic, payloadFor(i), i);
        QTRY_COMPARE(out.committed.size(), 500);
        QCOMPARE(store.lastCommittedEntryId(Topic), qint64(499));
    }
    MessageStore store(o);
    QVERIFY(store.open());
    QCOMPARE(store.lastCommittedEntryId(Topic), qint64(499));
    const auto all = readAll(store, Topic, 0);
    QCOMPARE(all.size(), 500);
    for (const StoredEntry &e : all)
        QCOMPARE(e.data, payloadFor(e.entryId));
}

void TestMessageStore::ledgerIdsNeverReused()
{
    QTemporaryDir dir;
    qint64 first = 0;
    qint64 second = 0;
    {
        MessageStore store(optionsFor(dir));
        QVERIFY(store.open());
        Outcomes out(store);
        first = store.createTopic(Topic);
        QCOMPARE(store.createTopic(Topic), first); // idempotent
        store.append(Topic, "x", 1);
        QTRY_COMPARE(out.committed.size(), 1);
        QVERIFY(store.deleteTopic(Topic));
        QVERIFY(!store.hasTopic(Topic));
        second = store.createTopic(Topic);
        QVERIFY(second > first);
        QCOMPARE(store.append(Topic, "y", 2), qint64(0)); // a new ledger starts again at entry 0
        QTRY_COMPARE(out.committed.size(), 2);
        QCOMPARE(store.topicNames(), QStringList{Topic});
    }
    QVERIFY(!QFileInfo::exists(dir.path() + QStringLiteral("/topics/") + QString::number(first)));
    MessageStore store(optionsFor(dir));
    QVERIFY(store.open());
    QCOMPARE(store.ledgerId(Topic), second);
    const qint64 third = store.createTopic(QStringLiteral("persistent://public/default/other"));
    QVERIFY(third > second);
    QVERIFY(store.deleteTopic(QStringLiteral("persistent://public/default/other")));
    store.close();
    QVERIFY(store.open()); // the counter survives even when the newest topic is gone
    QVERIFY(store.createTopic(QStringLiteral("persistent://public/default/third")) > third);
}

void TestMessageStore::readsFromCacheAndDisk()
{
    QTemporaryDir dir;
    StoreOptions o = optionsFor(dir);
    o.segmentBytes = 16 * 1024;
    {
        MessageStore store(o);
        QVERIFY(store.open());
        Outcomes out(store);
        store.createTopic(Topic);
        for (int i = 0; i < 400; ++i)
            store.append(Topic, payloadFor(i), i);
        QTRY_COMPARE(out.committed.size(), 400);
        auto cached = store.readCached(Topic, 10, 5, 1 << 20);
        QCOMPARE(cached.size(), 5);
        QCOMPARE(cached.first().entryId, qint64(10));
        QCOMPARE(cached.last().data, payloadFor(14));
        // maxBytes bounds the batch but at least one entry always comes back.
        QCOMPARE(store.readCached(Topic, 10, 100, 1).size(), 1);
        QVERIFY(store.readCached(Topic, 400, 10, 1 << 20).isEmpty()); // not committed: not visible
        QVERIFY(store.topicStats(Topic).segments.size() > 3);
    }
    MessageStore store(o);
    QVERIFY(store.open());
    QVERIFY(store.readCached(Topic, 0, 10, 1 << 20).isEmpty()); // cold cache after a restart
    const auto all = readAll(store, Topic, 0);
    QCOMPARE(all.size(), 400);
    for (int i = 0; i < all.size(); ++i) {
        QCOMPARE(all[i].entryId, qint64(i));
        QCOMPARE(all[i].data, payloadFor(i));
    }
    // A read starting in the middle of a segment, between index points.
    const auto middle = readAll(store, Topic, 237, 3);
    QVERIFY(middle.size() >= 3);
    QCOMPARE(middle.first().entryId, qint64(237));
    QCOMPARE(middle.first().data, payloadFor(237));
    // New appends after the restart continue the ids and are cached.
    Outcomes out(store);
    QCOMPARE(store.append(Topic, "after", 7), qint64(400));
    QTRY_COMPARE(out.committed.size(), 1);
    QCOMPARE(store.readCached(Topic, 400, 10, 1 << 20).first().data, QByteArray("after"));
}

void TestMessageStore::cursorsPersist()
{
    QTemporaryDir dir;
    CursorState state;
    state.markDeleteEntryId = 41;
    state.individuallyAcked = {{43, 45}, {50, 50}};
    state.properties.insert(QStringLiteral("type"), QStringLiteral("Shared"));
    CursorState other;
    other.markDeleteEntryId = 3;
    {
        MessageStore store(optionsFor(dir));
        QVERIFY(store.open());
        store.createTopic(Topic);
        store.saveCursor(Topic, QStringLiteral("sub"), state);
        store.saveCursor(Topic, QStringLiteral("gone"), other);
        // Persisted by the background flush, without waiting for close().
        const QString file = dir.path() + QStringLiteral("/topics/") + QString::number(store.ledgerId(Topic)) +
                             QStringLiteral("/cursors.json");
        QTRY_VERIFY(QFile::exists(file));
        QTRY_VERIFY([&] {
            QFile f(file);
            return f.open(QIODevice::ReadOnly) && f.readAll().contains("gone");
        }());
        store.deleteCursor(Topic, QStringLiteral("gone"));
    }
    MessageStore store(optionsFor(dir));
    QVERIFY(store.open());
    const auto cursors = store.cursors(Topic);
    QCOMPARE(cursors.size(), 1);
    QVERIFY(cursors.value(QStringLiteral("sub")) == state);
}

void TestMessageStore::metadataPersists()
{
    QTemporaryDir dir;
    QJsonObject meta;
    meta.insert(QStringLiteral("tenants"), QJsonArray{QStringLiteral("public"), QStringLiteral("sample")});
    {
        MessageStore store(optionsFor(dir));
        QVERIFY(store.open());
        QVERIFY(store.metadata().isEmpty());
        store.saveMetadata(meta);
        QCOMPARE(store.metadata(), meta);
    }
    MessageStore store(optionsFor(dir));
    QVERIFY(store.open());
    QCOMPARE(store.metadata(), meta);
}

void TestMessageStore::tornTailIsDiscarded()
{
    QTemporaryDir dir;
    StoreOptions o = optionsFor(dir);
    const int n = 50;
    {
        MessageStore store(o);
        QVERIFY(store.open());
        Outcomes out(store);
        store.createTopic(Topic);
        for (int i = 0; i < n; ++i)
            store.append(Topic, payloadFor(i, 100), i);
        QTRY_COMPARE(out.committed.size(), n);
    }
    // Flip the last byte of the last record, as a write torn by a crash would leave it.
    const QStringList segments = filesIn(dir.path(), QStringLiteral("*.seg"));
    QCOMPARE(segments.size(), 1);
    const qint64 lastByte = 64 + n * (16 + 100) - 1;
    {
        QFile f(segments.first());
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.seek(lastByte));
        char c = 0;
        QVERIFY(f.getChar(&c));
        QCOMPARE(c, payloadFor(n - 1, 100).back());
        QVERIFY(f.seek(lastByte));
        QVERIFY(f.putChar(static_cast<char>(c ^ 0x5a)));
    }
    {
        MessageStore store(o);
        QVERIFY(store.open());
        QCOMPARE(store.lastCommittedEntryId(Topic), qint64(n - 2));
        const auto all = readAll(store, Topic, 0);
        QCOMPARE(all.size(), n - 1);
        QCOMPARE(all.last().data, payloadFor(n - 2, 100));
        Outcomes out(store);
        QCOMPARE(store.append(Topic, "replacement", 1), qint64(n - 1));
        QCOMPARE(store.append(Topic, "next", 2), qint64(n));
        QTRY_COMPARE(out.committed.size(), 2);
    }
    MessageStore store(o);
    QVERIFY(store.open());
    QCOMPARE(store.lastCommittedEntryId(Topic), qint64(n));
    const auto all = readAll(store, Topic, n - 1);
    QCOMPARE(all.size(), 2);
    QCOMPARE(all.first().data, QByteArray("replacement"));
    QCOMPARE(all.last().data, QByteArray("next"));
}

void TestMessageStore::killDashNineLosesNoCommittedEntry()
{
    QTemporaryDir dir;
    for (int round = 0; round < 2; ++round) {
        QProcess child;
        child.setProcessChannelMode(QProcess::SeparateChannels);
        // A process crash loses nothing the OS has, so even --sync none must keep every reported id.
        child.start(QStringLiteral(PDESK_STORE_WRITER),
                    {dir.path(), round == 0 ? QStringLiteral("always") : QStringLiteral("none")});
        QVERIFY2(child.waitForStarted(), qPrintable(child.errorString()));
        QByteArray output;
        qint64 reported = 0;
        const int target = 20000 + round * 10000;
        QElapsedTimer guard;
        guard.start();
        while (reported < target && guard.elapsed() < 60000) {
            if (!child.waitForReadyRead(10000))
                break;
            output += child.readAllStandardOutput();
            reported = output.count('\n');
        }
        QVERIFY2(reported >= target, child.readAllStandardError().constData());
        child.kill(); // SIGKILL, mid-stream: appends are still in flight
        QVERIFY(child.waitForFinished());
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);
        output += child.readAllStandardOutput();
        output.truncate(output.lastIndexOf('\n') + 1); // only complete lines were reported

        qint64 maxReported = -1;
        QSet<qint64> ids;
        for (const QByteArray &line : output.split('\n')) {
            if (line.isEmpty())
                continue;
            ids.insert(line.toLongLong());
            maxReported = std::max(maxReported, line.toLongLong());
        }
        MessageStore store(optionsFor(dir));
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        const QString topic = QStringLiteral("persistent://public/default/kill");
        QVERIFY(store.lastCommittedEntryId(topic) >= maxReported);
        const auto all = readAll(store, topic, 0);
        QCOMPARE(all.size(), int(store.lastCommittedEntryId(topic) + 1));
        for (int i = 0; i < all.size(); ++i) {
            QCOMPARE(all[i].entryId, qint64(i));
            QCOMPARE(all[i].data, payloadFor(i));
        }
        for (qint64 id : std::as_const(ids))
            QVERIFY(id < all.size());
    }
}

void TestMessageStore::writeFailureKeepsStoreUsable()
{
    // A full disk is simulated with RLIMIT_FSIZE: the kernel fails writes past the limit with EFBIG, the
    // same path as ENOSPC (a failed pwrite or posix_fallocate), without root or a special filesystem.
    struct sigaction ignore = {};
    ignore.sa_handler = SIG_IGN;
    struct sigaction previous = {};
    QCOMPARE(sigaction(SIGXFSZ, &ignore, &previous), 0);
    struct rlimit saved = {};
    QCOMPARE(getrlimit(RLIMIT_FSIZE, &saved), 0);
    auto restore = qScopeGuard([&] {
        setrlimit(RLIMIT_FSIZE, &saved);
        sigaction(SIGXFSZ, &previous, nullptr);
    });

    QTemporaryDir dir;
    StoreOptions o = optionsFor(dir);
    o.segmentBytes = 1024 * 1024;
    MessageStore store(o);
    QVERIFY(store.open());
    Outcomes out(store);
    store.createTopic(Topic);
    for (int i = 0; i < 10; ++i)
        store.append(Topic, payloadFor(i, 1000), i);
    QTRY_COMPARE(out.committed.size(), 10);

    struct rlimit small = saved;
    small.rlim_cur = 16 * 1024;
    QCOMPARE(setrlimit(RLIMIT_FSIZE, &small), 0);
    for (int i = 10; i < 40; ++i)
        QCOMPARE(store.append(Topic, payloadFor(i, 1000), i), qint64(i));
    QTRY_COMPARE(out.committed.size() + out.failed.size(), 40);
    QVERIFY(!out.failed.isEmpty());
    QVERIFY2(out.reasons.first().contains(QStringLiteral("while writing")) &&
                 out.reasons.first().contains(QStringLiteral(".seg")),
             qPrintable(out.reasons.first()));
    const qint64 lastGood = store.lastCommittedEntryId(Topic);
    QCOMPARE(lastGood, qint64(out.committed.size() - 1));

    // Still full: the retry fails again, cleanly.
    QCOMPARE(store.append(Topic, payloadFor(100, 1000), 100), lastGood + 1);
    QTRY_COMPARE(out.failed.size(), 40 - int(lastGood + 1) + 1);
    QVERIFY2(out.reasons.last().contains(QStringLiteral("while")), qPrintable(out.reasons.last()));

    // Space again: appends go on with dense ids right after the last committed entry.
    QCOMPARE(setrlimit(RLIMIT_FSIZE, &saved), 0);
    const int committedBefore = out.committed.size();
    for (int i = 0; i < 5; ++i)
        QCOMPARE(store.append(Topic, payloadFor(lastGood + 1 + i, 1000), 200 + i), lastGood + 1 + i);
    QTRY_COMPARE(out.committed.size(), committedBefore + 5);
    store.close();

    QVERIFY(store.open());
    QCOMPARE(store.lastCommittedEntryId(Topic), lastGood + 5);
    const auto all = readAll(store, Topic, 0);
    QCOMPARE(all.size(), int(lastGood + 6));
    for (const StoredEntry &e : all)
        QCOMPARE(e.data, payloadFor(e.entryId, 1000));
}

void TestMessageStore::pendingBoundRefusesFast()
{
    QTemporaryDir dir;
    StoreOptions o = optionsFor(dir);
    o.maxPendingBytes = 8 * 1024;
    MessageStore store(o);
    QVERIFY(store.open());
    Outcomes out(store);
    store.createTopic(Topic);
    int accepted = 0;
    QString reason;
    for (int i = 0; i < 1000; ++i) {
        if (store.append(Topic, payloadFor(i, 1000), i, &reason) < 0)
            break;
        ++accepted;
    }
    QVERIFY(accepted >= 7 && accepted < 1000);
    QVERIFY(!reason.isEmpty());
    QVERIFY(store.pendingBytes() <= o.maxPendingBytes);
    QTRY_COMPARE(out.committed.size(), accepted);
    QCOMPARE(store.pendingBytes(), qint64(0));
    QCOMPARE(store.append(Topic, payloadFor(accepted, 1000), 0), qint64(accepted)); // no gap from refusals
}

void TestMessageStore::retentionDeletesConsumedSegments()
{
    QTemporaryDir dir;
    StoreOptions o = optionsFor(dir);
    o.segmentBytes = 8 * 1024;
    const int n = 400;
    {
        MessageStore store(o);
        QVERIFY(store.open());
        Outcomes out(store);
        store.createTopic(Topic);
        for (int i = 0; i < n; ++i)
            store.append(Topic, payloadFor(i, 200), i);
        QTRY_COMPARE(out.committed.size(), n);
        CursorState cursor;
        cursor.markDeleteEntryId = 99;
        store.saveCursor(Topic, QStringLiteral("sub"), cursor);
        const TopicStats before = store.topicStats(Topic);
        QVERIFY(before.segments.size() > 5);
        QTRY_COMPARE(filesIn(dir.path(), QStringLiteral("*.seg")).size(), before.segments.size());
        const qint64 usageBefore = diskUsage(dir.path());

        // Only segments entirely at or below the cursor's mark-delete position may go.
        QVERIFY(store.trim(Topic) > 0);
        TopicStats after = store.topicStats(Topic);
        QVERIFY(after.firstEntryId > 0 && after.firstEntryId <= 100);
        QCOMPARE(after.lastCommittedEntryId, qint64(n - 1));
        QCOMPARE(after.entries, n - after.firstEntryId);
        QTRY_COMPARE(filesIn(dir.path(), QStringLiteral("*.seg")).size(), after.segments.size());
        QVERIFY(diskUsage(dir.path()) < usageBefore);
        const auto fromZero = readAll(store, Topic, 0, 1);
        QCOMPARE(fromZero.first().entryId, after.firstEntryId); // reads start at the first stored entry

        store.deleteCursor(Topic, QStringLiteral("sub"));
    }
    {
        // Unlimited retention keeps consumed data.
        StoreOptions keep = o;
        keep.retentionSizeBytes = -1;
        keep.retentionTimeMs = -1;
        MessageStore store(keep);
        QVERIFY(store.open());
        QVERIFY(store.cursors(Topic).isEmpty());
        QCOMPARE(store.trim(Topic), 0);
    }
    // No cursor and no retention: everything consumed but the active segment goes, and ids go on.
    o.retentionSizeBytes = 0;
    o.retentionTimeMs = 0;
    MessageStore store(o);
    QVERIFY(store.open());
    QVERIFY(store.trim(Topic) > 0);
    QCOMPARE(store.topicStats(Topic).segments.size(), 1);
    QTRY_COMPARE(filesIn(dir.path(), QStringLiteral("*.seg")).size(), 1);
    const qint64 first = store.topicStats(Topic).firstEntryId;
    store.close();
    QVERIFY(store.open());
    QCOMPARE(store.topicStats(Topic).firstEntryId, first);
    Outcomes out(store);
    QCOMPARE(store.append(Topic, "more", 1), qint64(n));
    QTRY_COMPARE(out.committed.size(), 1);
}

void TestMessageStore::openReadsNoSealedSegment()
{
    QTemporaryDir dir;
    StoreOptions o = optionsFor(dir);
    o.segmentBytes = 64 * 1024;
    const int n = 5000;
    {
        MessageStore store(o);
        QVERIFY(store.open());
        Outcomes out(store);
        store.createTopic(Topic);
        for (int i = 0; i < n; ++i)
            store.append(Topic, payloadFor(i, 100), i);
        QTRY_COMPARE(out.committed.size(), n);
    }
    qint64 activeEntries = 0;
    {
        MessageStore store(o);
        QVERIFY(store.open());
        const OpenStats s = store.openStats();
        const TopicStats t = store.topicStats(Topic);
        QVERIFY(t.segments.size() >= 8);
        QCOMPARE(s.segments, int(t.segments.size()));
        activeEntries = t.segments.last().entries;
        QCOMPARE(s.segmentsScanned, 1); // the active segment only
        QCOMPARE(s.recordsScanned, activeEntries);
        QVERIFY(s.bytesScanned < 2 * o.segmentBytes);
        QCOMPARE(s.indexesRebuilt, 0);
        QCOMPARE(store.lastCommittedEntryId(Topic), qint64(n - 1));
    }
    // A lost index is rebuilt by scanning that one segment.
    const QStringList indexes = filesIn(dir.path(), QStringLiteral("*.idx"));
    QVERIFY(QFile::remove(indexes.at(2)));
    MessageStore store(o);
    QVERIFY(store.open());
    QCOMPARE(store.openStats().segmentsScanned, 2);
    QCOMPARE(store.openStats().indexesRebuilt, 1);
    const auto all = readAll(store, Topic, 0);
    QCOMPARE(all.size(), n);
    QCOMPARE(all.at(n / 2).data, payloadFor(n / 2, 100));
}

void TestMessageStore::secondStoreOnSameDirectoryIsRefused()
{
    QTemporaryDir dir;
    MessageStore first(optionsFor(dir));
    QVERIFY(first.open());
    MessageStore second(optionsFor(dir));
    QString error;
    QVERIFY(!second.open(&error));
    QVERIFY(error.contains(QStringLiteral("in use")));
    first.close();
    QVERIFY(second.open());
}

QTEST_GUILESS_MAIN(TestMessageStore)
#include "tst_messagestore.moc"
