#include "secrets/keychainsecretstore.h"
#include "secrets/secretstore.h"

#include <QElapsedTimer>
#include <QTest>
#include <QUuid>

#include <memory>

using namespace Pulsar;

namespace {

struct ReadOutcome
{
    bool called = false;
    std::optional<QString> secret;
    QString error;
};

struct DoneOutcome
{
    bool called = false;
    QString error;
};

std::shared_ptr<ReadOutcome> readFrom(SecretStore &store, const QString &key, QObject *context)
{
    auto out = std::make_shared<ReadOutcome>();
    store.read(key, context, [out](const std::optional<QString> &secret, const QString &error) {
        out->called = true;
        out->secret = secret;
        out->error = error;
    });
    return out;
}

std::shared_ptr<DoneOutcome> writeTo(SecretStore &store, const QString &key, const QString &secret, QObject *context)
{
    auto out = std::make_shared<DoneOutcome>();
    store.write(key, secret, context, [out](const QString &error) {
        out->called = true;
        out->error = error;
    });
    return out;
}

std::shared_ptr<DoneOutcome> removeFrom(SecretStore &store, const QString &key, QObject *context)
{
    auto out = std::make_shared<DoneOutcome>();
    store.remove(key, context, [out](const QString &error) {
        out->called = true;
        out->error = error;
    });
    return out;
}

} // namespace

// The secret stores: the in-memory one, and the keychain's behaviour on this machine, whatever it has (without a
// D-Bus session or Secret Service every call must end in the specific "not available" text, quickly, without a
// crash; with one, a round trip must work).
class tst_SecretStore final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void memoryRoundTrip();
    void memoryCallbacksAreAsynchronousAndContextBound();
    void keychainAnswersEitherWay();
    void keychainTimeoutIsBounded();
};

void tst_SecretStore::memoryRoundTrip()
{
    MemorySecretStore store;
    const auto missing = readFrom(store, QStringLiteral("p"), this);
    QTRY_VERIFY(missing->called);
    QVERIFY(!missing->secret);
    QVERIFY(missing->error.isEmpty());

    const auto written = writeTo(store, QStringLiteral("p"), QStringLiteral("s3cret"), this);
    QTRY_VERIFY(written->called);
    QVERIFY(written->error.isEmpty());
    QCOMPARE(store.secret(QStringLiteral("p")), QStringLiteral("s3cret"));
    const auto read = readFrom(store, QStringLiteral("p"), this);
    QTRY_VERIFY(read->called);
    QCOMPARE(read->secret, std::optional<QString>(QStringLiteral("s3cret")));

    const auto removed = removeFrom(store, QStringLiteral("p"), this);
    QTRY_VERIFY(removed->called);
    QVERIFY(!store.contains(QStringLiteral("p")));
    const auto again = removeFrom(store, QStringLiteral("p"), this); // nothing there: still a success
    QTRY_VERIFY(again->called);
    QVERIFY(again->error.isEmpty());
}

void tst_SecretStore::memoryCallbacksAreAsynchronousAndContextBound()
{
    MemorySecretStore store;
    const auto now = writeTo(store, QStringLiteral("k"), QStringLiteral("v"), this);
    QVERIFY(!now->called); // never inside the call
    QTRY_VERIFY(now->called);

    auto context = std::make_unique<QObject>();
    const auto dropped = readFrom(store, QStringLiteral("k"), context.get());
    context.reset();
    const auto later = readFrom(store, QStringLiteral("k"), this);
    QTRY_VERIFY(later->called);
    QVERIFY(!dropped->called); // its context died first
}

void tst_SecretStore::keychainAnswersEitherWay()
{
    // A key of our own, so that a real keychain is left as it was found.
    const QString key = QStringLiteral("tst_secretstore-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QString secret = QStringLiteral("token-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    KeychainSecretStore store(QStringLiteral("pulsar-desk-tests"), 20000);

    QElapsedTimer clock;
    clock.start();
    const auto written = writeTo(store, key, secret, this);
    QVERIFY(!written->called);
    QTRY_VERIFY_WITH_TIMEOUT(written->called, 30000);
    if (!written->error.isEmpty()) {
        // No keychain (CI, containers): the specific text, and no secret in it.
        QVERIFY2(written->error.startsWith(QLatin1String("The system keychain is not available (")),
                 qPrintable(written->error));
        QVERIFY(!written->error.contains(secret));
        const auto read = readFrom(store, key, this);
        QTRY_VERIFY_WITH_TIMEOUT(read->called, 30000);
        QVERIFY(!read->secret);
        QVERIFY2(read->error.startsWith(QLatin1String("The system keychain is not available (")),
                 qPrintable(read->error));
        const auto removed = removeFrom(store, key, this);
        QTRY_VERIFY_WITH_TIMEOUT(removed->called, 30000);
        qInfo("no keychain here: %s (answered in %lld ms)", qPrintable(written->error), clock.elapsed());
        return;
    }
    // A working keychain: the full round trip.
    const auto read = readFrom(store, key, this);
    QTRY_VERIFY_WITH_TIMEOUT(read->called, 30000);
    QVERIFY2(read->error.isEmpty(), qPrintable(read->error));
    QCOMPARE(read->secret, std::optional<QString>(secret));
    const auto removed = removeFrom(store, key, this);
    QTRY_VERIFY_WITH_TIMEOUT(removed->called, 30000);
    QVERIFY2(removed->error.isEmpty(), qPrintable(removed->error));
    const auto gone = readFrom(store, key, this);
    QTRY_VERIFY_WITH_TIMEOUT(gone->called, 30000);
    QVERIFY(!gone->secret);
}

void tst_SecretStore::keychainTimeoutIsBounded()
{
    // However the backend behaves, an answer arrives within the store's timeout (here 1 s) plus a little.
    KeychainSecretStore store(QStringLiteral("pulsar-desk-tests"), 1000);
    QElapsedTimer clock;
    clock.start();
    const auto read = readFrom(store, QStringLiteral("tst_secretstore-timeout"), this);
    QTRY_VERIFY_WITH_TIMEOUT(read->called, 5000);
    QVERIFY(clock.elapsed() < 5000);
    QVERIFY(!read->secret);
}

QTEST_GUILESS_MAIN(tst_SecretStore)
#include "tst_secretstore.moc"
