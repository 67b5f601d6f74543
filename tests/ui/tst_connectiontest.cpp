#include "client/connectiontest.h"

#include "jwttestutil.h"
#include "proxyfixture.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

#include <memory>

using namespace Pulsar;

namespace {

constexpr int kWaitMs = 20000;
const QByteArray kSecret = QByteArray(32, 'k') + "-pulsar-desk-connection-test";

Proxy::AuthConfig authConfig()
{
    Proxy::AuthConfig config;
    config.authenticationEnabled = true;
    config.authorizationEnabled = true;
    config.keyKind = Proxy::AuthConfig::KeyKind::Secret;
    config.validationKey = kSecret;
    config.superUserRoles.insert(QStringLiteral("admin"));
    return config;
}

QString tokenFor(const QString &role, const QByteArray &key = kSecret)
{
    return QString::fromLatin1(TestSupport::mintToken(JWT_ALG_HS256, key, TestSupport::claims(role, 3600)));
}

ConnectionProfile profileFor(quint16 port)
{
    ConnectionProfile p;
    p.name = QStringLiteral("Test");
    p.serviceUrl = QUrl(QStringLiteral("ws://127.0.0.1:") + QString::number(port));
    return p;
}

quint16 closedPort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost, 0);
    return server.serverPort(); // closed again when server goes
}

ConnectionTest::Result run(ConnectionTest &test, const ConnectionProfile &profile, int stepTimeoutMs = 10000)
{
    QSignalSpy finished(&test, &ConnectionTest::finished);
    test.start(profile, stepTimeoutMs);
    if (!finished.wait(kWaitMs) && finished.isEmpty())
        qWarning("the connection test did not finish");
    return finished.isEmpty() ? ConnectionTest::Result() : finished.first().at(0).value<ConnectionTest::Result>();
}

} // namespace

// ConnectionTest against the bundled service in-process: both steps, refused, 401, validation, timeout, cancel.
class tst_ConnectionTest final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void bothStepsSucceed();
    void closedPortIsRefused();
    void badTokenIs401();
    void goodTokenPasses();
    void invalidProfileFailsWithoutNetwork();
    void silentServerTimesOut();
    void cancelStopsAtOnce();
};

void tst_ConnectionTest::bothStepsSucceed()
{
    TestSupport::ProxyFixture proxy;
    ConnectionTest test;
    QSignalSpy progress(&test, &ConnectionTest::progress);
    QSignalSpy steps(&test, &ConnectionTest::stepFinished);
    const auto result = run(test, profileFor(proxy.port()));
    QVERIFY2(result.ok(), qPrintable(result.admin.text + QLatin1String(" | ") + result.webSocket.text));
    QVERIFY(result.admin.text.contains(QLatin1String("healthy")));
    QVERIFY(result.webSocket.text.contains(QLatin1String("succeeded")));
    QCOMPARE(progress.size(), 2);
    QCOMPARE(progress.at(0).at(0).value<ConnectionTest::Step>(), ConnectionTest::Step::Admin);
    QCOMPARE(progress.at(1).at(0).value<ConnectionTest::Step>(), ConnectionTest::Step::WebSocket);
    QVERIFY(progress.at(1).at(1).toString().contains(QLatin1String(ConnectionTest::kTopic)));
    QCOMPARE(steps.size(), 2);
    QVERIFY(!test.isRunning());
    // The reader was on the documented topic, which the service auto-created.
    QTRY_VERIFY(
        proxy.broker()->topics(QStringLiteral("public/default"), true).contains(QLatin1String(ConnectionTest::kTopic)));
}

void tst_ConnectionTest::closedPortIsRefused()
{
    ConnectionTest test;
    const auto result = run(test, profileFor(closedPort()));
    QCOMPARE(result.admin.status, ConnectionTest::Status::Failed);
    QCOMPARE(result.webSocket.status, ConnectionTest::Status::Failed);
    QVERIFY2(result.admin.text.contains(QLatin1String("refused"), Qt::CaseInsensitive), qPrintable(result.admin.text));
    QVERIFY2(result.webSocket.text.contains(QLatin1String("refused"), Qt::CaseInsensitive),
             qPrintable(result.webSocket.text));
}

void tst_ConnectionTest::badTokenIs401()
{
    Proxy::ServiceConfig service;
    service.auth = authConfig();
    TestSupport::ProxyFixture proxy({}, service);
    ConnectionTest test;
    ConnectionProfile p = profileFor(proxy.port());
    p.authentication = AuthenticationMethod::TokenHeader;
    p.token = tokenFor(QStringLiteral("admin"), QByteArray(48, 'x')); // signed with another key
    const auto result = run(test, p);
    QCOMPARE(result.admin.status, ConnectionTest::Status::Failed);
    QCOMPARE(result.webSocket.status, ConnectionTest::Status::Failed);
    QVERIFY2(result.admin.text.contains(QLatin1String("401")), qPrintable(result.admin.text));
    QVERIFY2(result.webSocket.text.contains(QLatin1String("401")), qPrintable(result.webSocket.text));
    QVERIFY(!result.admin.text.contains(p.token));
    QVERIFY(!result.webSocket.text.contains(p.token));
}

void tst_ConnectionTest::goodTokenPasses()
{
    Proxy::ServiceConfig service;
    service.auth = authConfig();
    TestSupport::ProxyFixture proxy({}, service);
    ConnectionTest test;
    ConnectionProfile p = profileFor(proxy.port());
    p.authentication = AuthenticationMethod::TokenQuery;
    p.token = tokenFor(QStringLiteral("admin"));
    const auto result = run(test, p);
    QVERIFY2(result.ok(), qPrintable(result.admin.text + QLatin1String(" | ") + result.webSocket.text));
}

void tst_ConnectionTest::invalidProfileFailsWithoutNetwork()
{
    ConnectionTest test;
    ConnectionProfile p = profileFor(1);
    p.serviceUrl = QUrl(QStringLiteral("ftp://example.com"));
    QSignalSpy progress(&test, &ConnectionTest::progress);
    const auto result = run(test, p);
    QCOMPARE(result.admin.status, ConnectionTest::Status::Failed);
    QVERIFY(result.admin.text.contains(QLatin1String("service URL")));
    QCOMPARE(progress.size(), 0);
}

void tst_ConnectionTest::silentServerTimesOut()
{
    // Accepts connections and never answers.
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    ConnectionTest test;
    const auto result = run(test, profileFor(silent.serverPort()), 500);
    QCOMPARE(result.admin.status, ConnectionTest::Status::TimedOut);
    QCOMPARE(result.webSocket.status, ConnectionTest::Status::TimedOut);
    QVERIFY(result.admin.text.contains(QLatin1String("No answer")));
}

void tst_ConnectionTest::cancelStopsAtOnce()
{
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    ConnectionTest test;
    QSignalSpy finished(&test, &ConnectionTest::finished);
    QSignalSpy progress(&test, &ConnectionTest::progress);
    test.start(profileFor(silent.serverPort()), 30000);
    QVERIFY(test.isRunning());
    QTRY_COMPARE(progress.size(), 1);
    test.cancel();
    QCOMPARE(finished.size(), 1);
    const auto result = finished.first().at(0).value<ConnectionTest::Result>();
    QVERIFY(result.cancelled());
    QCOMPARE(result.admin.status, ConnectionTest::Status::Cancelled);
    QCOMPARE(result.webSocket.status, ConnectionTest::Status::Cancelled);
    QVERIFY(!test.isRunning());
    QTest::qWait(50);
    QCOMPARE(finished.size(), 1); // nothing late from the abandoned call
}

QTEST_GUILESS_MAIN(tst_ConnectionTest)
#include "tst_connectiontest.moc"
