#include "client/readersession.h"
#include "local/localservice.h"
#include "settings/settings.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <memory>
#include <sys/types.h>

using namespace Pulsar;

namespace {

constexpr int kWaitMs = 25000;

bool processAlive(qint64 pid)
{
    return pid > 0 && ::kill(pid_t(pid), 0) == 0;
}

} // namespace

// LocalService against the real pulsar-desk-proxy program as a child process.
class tst_LocalService final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void startOnFreePortAndConnect();
    void stopIsCleanAndAsynchronous();
    void busyPreferredPortFallsBack();
    void killedChildFails();
    void binaryMissing();
    void binaryNotBesideAppNorInPath();
    void badOptionReportsExitCodeAndStderr();
    void destructorLeavesNoOrphan();

private:
    std::unique_ptr<LocalService> makeService();

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Settings> m_settings;
};

void tst_LocalService::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_settings = std::make_unique<Settings>(m_dir->filePath(QStringLiteral("settings.ini")));
    m_settings->setValue(Settings::LocalServicePort, 0);
    m_settings->setValue(Settings::LocalServiceDataDir, m_dir->filePath(QStringLiteral("data")));
    m_settings->setValue(Settings::LocalServiceSync, QStringLiteral("none"));
}

void tst_LocalService::cleanup()
{
    m_settings.reset();
    m_dir.reset();
}

std::unique_ptr<LocalService> tst_LocalService::makeService()
{
    auto service = std::make_unique<LocalService>(m_settings.get());
    service->setBinaryPath(QStringLiteral(PDESK_PROXY_BINARY));
    return service;
}

void tst_LocalService::startOnFreePortAndConnect()
{
    auto service = makeService();
    QSignalSpy states(service.get(), &LocalService::stateChanged);
    QCOMPARE(service->state(), LocalService::State::Stopped);
    QCOMPARE(service->dataDir(), m_dir->filePath(QStringLiteral("data")));
    service->start();
    QCOMPARE(service->state(), LocalService::State::Starting);
    QTRY_COMPARE_WITH_TIMEOUT(service->state(), LocalService::State::Running, kWaitMs);
    QCOMPARE(states.first().at(0).value<LocalService::State>(), LocalService::State::Starting);
    QCOMPARE(states.last().at(0).value<LocalService::State>(), LocalService::State::Running);
    const QUrl url = service->url();
    QCOMPARE(url.scheme(), QStringLiteral("ws"));
    QCOMPARE(url.host(), QStringLiteral("127.0.0.1"));
    QVERIFY(url.port() > 0);
    QCOMPARE(service->adminUrl(), QUrl(QStringLiteral("http://127.0.0.1:") + QString::number(url.port())));
    const ConnectionProfile local = service->localProfile();
    QCOMPARE(local.name, QStringLiteral("Local"));
    QCOMPARE(local.serviceUrl, url);
    QVERIFY(!local.validate());

    // A real reader gets through to the child.
    const auto topic = TopicName::parse(QStringLiteral("persistent://public/default/tst-localservice"));
    QVERIFY(topic.ok());
    ReaderSession reader(local, *topic);
    reader.open();
    QTRY_COMPARE_WITH_TIMEOUT(reader.status().state, ChannelState::Connected, kWaitMs);
    reader.close();
    // The store lives in the configured data directory.
    QVERIFY(QFileInfo::exists(m_dir->filePath(QStringLiteral("data"))));
}

void tst_LocalService::stopIsCleanAndAsynchronous()
{
    auto service = makeService();
    service->start();
    QTRY_COMPARE_WITH_TIMEOUT(service->state(), LocalService::State::Running, kWaitMs);
    const qint64 pid = service->processId();
    QVERIFY(processAlive(pid));
    QSignalSpy lines(service.get(), &LocalService::logLine);
    service->stop();
    QCOMPARE(service->state(), LocalService::State::Stopping); // returns at once
    QTRY_COMPARE_WITH_TIMEOUT(service->state(), LocalService::State::Stopped, kWaitMs);
    QVERIFY(service->url().isEmpty());
    QVERIFY(service->errorText().isEmpty());
    QVERIFY(!processAlive(pid));
    // And it starts again on the same data.
    service->start();
    QTRY_COMPARE_WITH_TIMEOUT(service->state(), LocalService::State::Running, kWaitMs);
}

void tst_LocalService::busyPreferredPortFallsBack()
{
    QTcpServer holder;
    QVERIFY(holder.listen(QHostAddress::LocalHost, 0));
    const quint16 busy = holder.serverPort();
    m_settings->setValue(Settings::LocalServicePort, int(busy));
    auto service = makeService();
    QSignalSpy lines(service.get(), &LocalService::logLine);
    service->start();
    QTRY_COMPARE_WITH_TIMEOUT(service->state(), LocalService::State::Running, kWaitMs);
    QVERIFY(service->port() != busy);
    QVERIFY(service->port() > 0);
    bool said = false;
    for (const auto &args : lines)
        said = said || args.at(0).toString().contains(QStringLiteral("Port %1 is in use").arg(busy));
    QVERIFY2(said, "no log line about the fallback port");
}

void tst_LocalService::killedChildFails()
{
    auto service = makeService();
    service->start();
    QTRY_COMPARE_WITH_TIMEOUT(service->state(), LocalService::State::Running, kWaitMs);
    QSignalSpy states(service.get(), &LocalService::stateChanged);
    QVERIFY(::kill(pid_t(service->processId()), SIGKILL) == 0);
    QTRY_COMPARE_WITH_TIMEOUT(service->state(), LocalService::State::Failed, kWaitMs);
    QVERIFY2(service->errorText().contains(QLatin1String("crashed")), qPrintable(service->errorText()));
    QVERIFY(service->url().isEmpty());
    QCOMPARE(states.last().at(0).value<LocalService::State>(), LocalService::State::Failed);
    // Start again after a failure.
    service->start();
    QTRY_COMPARE_WITH_TIMEOUT(service->state(), LocalService::State::Running, kWaitMs);
    QVERIFY(service->errorText().isEmpty());
}

void tst_LocalService::binaryMissing()
{
    auto service = makeService();
    service->setBinaryPath(m_dir->filePath(QStringLiteral("no-such-dir/pulsar-desk-proxy")));
    QSignalSpy lines(service.get(), &LocalService::logLine);
    service->start();
    QCOMPARE(service->state(), LocalService::State::Failed);
    QVERIFY2(service->errorText().contains(QLatin1String("not found")), qPrintable(service->errorText()));
    QCOMPARE(lines.size(), 1);
    service->stop();
    QCOMPARE(service->state(), LocalService::State::Stopped);
}

void tst_LocalService::binaryNotBesideAppNorInPath()
{
    const QByteArray path = qgetenv("PATH");
    qputenv("PATH", m_dir->path().toUtf8());
    LocalService service(m_settings.get());
    const QString resolved = service.resolvedBinary();
    service.start();
    qputenv("PATH", path);
    QVERIFY(resolved.isEmpty());
    QCOMPARE(service.state(), LocalService::State::Failed);
    QVERIFY(service.errorText().contains(QLatin1String("not found")));
    QVERIFY(service.errorText().contains(QLatin1String("PATH")));
}

void tst_LocalService::badOptionReportsExitCodeAndStderr()
{
    m_settings->setValue(Settings::LocalServiceSync, QStringLiteral("sometimes"));
    auto service = makeService();
    service->start();
    QTRY_COMPARE_WITH_TIMEOUT(service->state(), LocalService::State::Failed, kWaitMs);
    const QString error = service->errorText();
    QVERIFY2(error.contains(QLatin1String("exited with code 2")), qPrintable(error));
    QVERIFY2(error.contains(QLatin1String("--sync")), qPrintable(error));
    QVERIFY(!service->recentStderr().isEmpty());
}

void tst_LocalService::destructorLeavesNoOrphan()
{
    auto service = makeService();
    service->start();
    QTRY_COMPARE_WITH_TIMEOUT(service->state(), LocalService::State::Running, kWaitMs);
    const qint64 pid = service->processId();
    QVERIFY(processAlive(pid));
    service.reset();
    QVERIFY(!processAlive(pid));
}

QTEST_GUILESS_MAIN(tst_LocalService)
#include "tst_localservice.moc"
