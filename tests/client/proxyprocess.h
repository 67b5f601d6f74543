#pragma once

// The real pulsar-desk-proxy program as a child process on one data directory, for the cases that kill and
// restart the service under a live client. start() again restarts it on the same data and, when asked, the
// same port, so a client's reconnects find it again.
#include <QProcess>
#include <QTest>
#include <QUrl>

#include <csignal>
#include <sys/types.h>

namespace ClientTest {

class ProxyProcess
{
public:
    explicit ProxyProcess(const QString &dataDir)
        : m_dataDir(dataDir)
    {
        m_process.setProgram(QStringLiteral(PDESK_PROXY_BINARY));
        QObject::connect(&m_process, &QProcess::readyReadStandardError, &m_process,
                         [this] { m_stderr += m_process.readAllStandardError(); });
    }
    ~ProxyProcess() { kill(); }
    ProxyProcess(const ProxyProcess &) = delete;
    ProxyProcess &operator=(const ProxyProcess &) = delete;

    // port 0 picks a free one; the URL (first stdout line) tells which.
    bool start(quint16 port = 0, const QStringList &extra = {})
    {
        m_stderr.clear();
        m_process.setArguments(QStringList{QStringLiteral("--port"), QString::number(port),
                                           QStringLiteral("--data-dir"), m_dataDir, QStringLiteral("--log-level"),
                                           QStringLiteral("warning")} +
                               extra);
        m_process.start();
        if (!m_process.waitForStarted(20000))
            return false;
        const bool ready = QTest::qWaitFor(
            [this] { return m_process.canReadLine() || m_process.state() == QProcess::NotRunning; }, 20000);
        if (!ready || !m_process.canReadLine()) {
            qWarning("pulsar-desk-proxy printed no URL; stderr: %s", m_stderr.constData());
            return false;
        }
        m_url = QUrl(QString::fromUtf8(m_process.readLine()).trimmed());
        return true;
    }

    // SIGKILL: no goodbye to clients, no flush beyond what the store already committed.
    void kill()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        ::kill(pid_t(m_process.processId()), SIGKILL);
        if (!QTest::qWaitFor([this] { return m_process.state() == QProcess::NotRunning; }, 20000))
            qWarning("pulsar-desk-proxy did not exit after SIGKILL");
    }

    QUrl url() const { return m_url; }
    quint16 port() const { return quint16(m_url.port()); }

private:
    QString m_dataDir;
    QProcess m_process;
    QUrl m_url;
    QByteArray m_stderr;
};

} // namespace ClientTest
