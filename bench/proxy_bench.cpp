// Load, latency, start-up and memory figures for pulsar-desk-proxy, measured the way a client sees them.
//
// The bench is a client: it starts `pulsar-desk-proxy` processes itself (QProcess, --port 0, a scratch
// --data-dir), talks to them over loopback with the project's own frame codecs, and stops them when it is done
// (also on failure: the children get SIGTERM through PR_SET_PDEATHSIG if the bench dies). The baseline is a bare
// QtWebSockets request/ack server in a child process (this binary re-executed with --echo-server), driven by the
// same client code with the same window, so ratios are measured side by side in one run. See docs/benchmarks.md.
//
//   pdesk_proxy_bench [--quick] [--only publish,consume,latency,startup,rss] [--reps N] [--proxy PATH]
//                     [--data-root DIR] [--messages N] [--startup-messages N]
#include "protocol/frames.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSocketNotifier>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>
#include <QWebSocketServer>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <tuple>
#include <vector>

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef PDESK_PROXY_BINARY
#define PDESK_PROXY_BINARY ""
#endif

namespace {

QElapsedTimer g_clock; // one monotonic clock for every timestamp of the run

qint64 nowNs()
{
    return g_clock.nsecsElapsed();
}

[[noreturn]] void die(const char *what)
{
    std::fprintf(stderr, "pdesk_proxy_bench: %s\n", what);
    std::fflush(stderr);
    // Children are stopped by PR_SET_PDEATHSIG; exit() runs no Qt destructors that could block.
    std::exit(1);
}

// ---- waiting -------------------------------------------------------------------------------------------

// Runs the event loop until done() holds or timeoutMs passes. A heartbeat timer wakes the loop so that the
// deadline is honoured even when no traffic arrives; done() is re-checked after every batch of events.
bool waitUntil(const std::function<bool()> &done, qint64 timeoutMs)
{
    if (done())
        return true;
    QTimer heartbeat;
    heartbeat.start(20);
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    }
    return true;
}

void settle(int ms)
{
    QElapsedTimer t;
    t.start();
    waitUntil([&] { return t.elapsed() >= ms; }, ms + 1000);
}

// ---- figures -------------------------------------------------------------------------------------------

struct Percentiles
{
    double p50Ms = 0;
    double p99Ms = 0;
    double maxMs = 0;
    qint64 samples = 0;
};

Percentiles percentiles(std::vector<qint64> ns)
{
    Percentiles p;
    if (ns.empty())
        return p;
    p.samples = qint64(ns.size());
    const auto at = [&](double q) {
        const size_t i = std::min(ns.size() - 1, size_t(q * double(ns.size())));
        std::nth_element(ns.begin(), ns.begin() + std::ptrdiff_t(i), ns.end());
        return double(ns[i]) / 1e6;
    };
    p.p50Ms = at(0.50);
    p.p99Ms = at(0.99);
    p.maxMs = double(*std::max_element(ns.begin(), ns.end())) / 1e6;
    return p;
}

double median(std::vector<double> v)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

double selfCpuSeconds()
{
    rusage u = {};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// utime + stime of every thread of a process, from /proc/<pid>/stat (fields 14 and 15).
double processCpuSeconds(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
    if (pid <= 0 || !f.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray stat = f.readAll();
    const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13)
        return 0;
    // After the command name: state is field 3, so utime (14) and stime (15) are at 11 and 12.
    return double(fields[11].toLongLong() + fields[12].toLongLong()) / double(sysconf(_SC_CLK_TCK));
}

struct Memory
{
    qint64 rssKb = 0;
    qint64 anonKb = 0;
    qint64 fileKb = 0;
    qint64 hwmKb = 0;
    int threads = 0;
};

Memory processMemory(qint64 pid)
{
    Memory m;
    QFile f(QStringLiteral("/proc/%1/status").arg(pid));
    if (pid <= 0 || !f.open(QIODevice::ReadOnly))
        return m;
    for (const QByteArray &line : f.readAll().split('\n')) {
        const auto value = [&] { return line.mid(line.indexOf(':') + 1).trimmed().split(' ').value(0).toLongLong(); };
        if (line.startsWith("VmRSS:"))
            m.rssKb = value();
        else if (line.startsWith("RssAnon:"))
            m.anonKb = value();
        else if (line.startsWith("RssFile:"))
            m.fileKb = value();
        else if (line.startsWith("VmHWM:"))
            m.hwmKb = value();
        else if (line.startsWith("Threads:"))
            m.threads = int(value());
    }
    return m;
}

QString withThousands(double v)
{
    QString digits = QString::number(qint64(v + 0.5));
    for (int i = digits.size() - 3; i > (digits.startsWith(QLatin1Char('-')) ? 1 : 0); i -= 3)
        digits.insert(i, QLatin1Char(','));
    return digits;
}

QString loadAverage()
{
    QFile f(QStringLiteral("/proc/loadavg"));
    return f.open(QIODevice::ReadOnly) ? QString::fromLatin1(f.readAll().trimmed()) : QString();
}

void out(const QString &line)
{
    std::printf("%s\n", qPrintable(line));
    std::fflush(stdout);
}

// pwrite of one 180 B record (a 100 B message as the proxy stores it) into a preallocated file, then fdatasync,
// on the file system of the stores: the physical bound of --sync always at one in flight. Measured in the same run,
// because writeback from neighbours on this shared machine moves it by an order of magnitude.
QString fsyncProbe(const QString &root, int count)
{
    QTemporaryDir dir(root + QStringLiteral("/pdesk-fsync-XXXXXX"));
    const QByteArray path = QFile::encodeName(dir.path() + QStringLiteral("/probe"));
    const int fd = ::open(path.constData(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
    if (fd < 0 || ::posix_fallocate(fd, 0, 1 << 20) != 0 || ::fdatasync(fd) != 0)
        return QStringLiteral("fdatasync probe: cannot prepare %1").arg(dir.path());
    std::vector<qint64> ns;
    const char record[180] = {};
    QElapsedTimer t;
    t.start();
    for (int i = 0; i < count && t.elapsed() < 5000; ++i) {
        const qint64 t0 = nowNs();
        if (::pwrite(fd, record, sizeof record, off_t(i) * off_t(sizeof record)) != qint64(sizeof record) ||
            ::fdatasync(fd) != 0)
            break;
        ns.push_back(nowNs() - t0);
    }
    ::close(fd);
    const Percentiles p = percentiles(std::move(ns));
    return QStringLiteral("disk probe (pwrite 180 B + fdatasync, preallocated, %1 times): p50 %2 ms, p99 %3 ms, max %4 "
                          "ms => at most ~%5 commits/s")
        .arg(p.samples)
        .arg(p.p50Ms, 0, 'f', 3)
        .arg(p.p99Ms, 0, 'f', 3)
        .arg(p.maxMs, 0, 'f', 2)
        .arg(withThousands(p.p50Ms > 0 ? 1000 / p.p50Ms : 0));
}

// ---- child processes -----------------------------------------------------------------------------------

// A server process we started: its first stdout line is its ws:// URL. Stopped with SIGTERM (then SIGKILL) when
// this object goes, so that no run leaves a server behind.
class ChildProcess final
{
public:
    ChildProcess() = default;
    ChildProcess(const ChildProcess &) = delete;
    ChildProcess &operator=(const ChildProcess &) = delete;
    ~ChildProcess() { stop(); }

    // Starts the program and waits for its first line. Returns the time from start() to that line.
    std::optional<qint64> start(const QString &program, const QStringList &arguments, int timeoutMs)
    {
        m_process.setProgram(program);
        m_process.setArguments(arguments);
        // Warnings from the server show up in the bench's output; stdout carries the URL line.
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_process.setChildProcessModifier([] {
            // If the bench dies (crash, SIGKILL), the server must not outlive it.
            ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        });
        const qint64 t0 = nowNs();
        m_process.start();
        if (!m_process.waitForStarted(timeoutMs))
            return std::nullopt;
        QElapsedTimer t;
        t.start();
        while (!m_process.canReadLine()) {
            const int left = timeoutMs - int(t.elapsed());
            if (left <= 0 || !m_process.waitForReadyRead(left))
                return std::nullopt;
        }
        const qint64 elapsed = nowNs() - t0;
        m_url = QString::fromUtf8(m_process.readLine().trimmed());
        return elapsed;
    }

    // SIGTERM lets the proxy close its sessions and flush its store; returns the time it took to exit.
    qint64 stop()
    {
        if (m_process.state() == QProcess::NotRunning)
            return 0;
        const qint64 t0 = nowNs();
        m_process.terminate();
        if (!m_process.waitForFinished(15000)) {
            std::fprintf(stderr, "pdesk_proxy_bench: %s did not stop after SIGTERM, killing it\n",
                         qPrintable(m_process.program()));
            m_process.kill();
            m_process.waitForFinished(5000);
        }
        return nowNs() - t0;
    }

    qint64 pid() const { return m_process.processId(); }
    QString url() const { return m_url; }
    double cpuSeconds() const { return processCpuSeconds(pid()); }
    Memory memory() const { return processMemory(pid()); }

private:
    QProcess m_process;
    QString m_url;
};

// ---- the bare baseline server --------------------------------------------------------------------------

// A QWebSocketServer that answers every text frame with a producer-ack-shaped text frame carrying the frame's
// context, found by a plain substring search: no JSON parsing, no base64, no store. Its sockets get the same
// TCP_NODELAY the proxy sets, so the ratio against it measures the proxy's own work, not Nagle.
class EchoServer final : public QObject
{
public:
    EchoServer()
        : m_webSockets(QStringLiteral("pdesk-bench-echo"), QWebSocketServer::NonSecureMode)
    {
        m_webSockets.setMaxPendingConnections(100000);
        connect(&m_tcp, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_tcp.nextPendingConnection()) {
                socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
                m_webSockets.handleConnection(socket);
            }
        });
        connect(&m_webSockets, &QWebSocketServer::newConnection, this, [this] {
            while (QWebSocket *socket = m_webSockets.nextPendingConnection()) {
                socket->setParent(this);
                connect(socket, &QWebSocket::textMessageReceived, socket,
                        [socket](const QString &text) { socket->sendTextMessage(ackFor(text)); });
                connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }

    bool listen() { return m_tcp.listen(QHostAddress::LocalHost, 0); }
    quint16 port() const { return m_tcp.serverPort(); }

private:
    static QString ackFor(const QString &text)
    {
        static const QLatin1String key("\"context\":\"");
        QStringView context;
        const qsizetype start = text.indexOf(key);
        if (start >= 0) {
            const qsizetype from = start + key.size();
            const qsizetype end = text.indexOf(QLatin1Char('"'), from);
            if (end > from)
                context = QStringView(text).mid(from, end - from);
        }
        return QLatin1String(R"({"result":"ok","messageId":"CAAQAzAA","context":")") + context +
               QLatin1String(R"(","errorCode":0,"schemaVersion":0})");
    }

    QTcpServer m_tcp;
    QWebSocketServer m_webSockets;
};

int runEchoServer()
{
    EchoServer server;
    if (!server.listen())
        die("echo server: cannot listen on 127.0.0.1");
    std::printf("ws://127.0.0.1:%u\n", unsigned(server.port()));
    std::fflush(stdout);
    return QCoreApplication::exec();
}

// ---- client connections --------------------------------------------------------------------------------

// One client WebSocket; text frames go to onText.
class Connection final : public QObject
{
public:
    Connection()
    {
        connect(&m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
            if (onText)
                onText(text);
        });
        connect(&m_socket, &QWebSocket::disconnected, this, [this] { m_failed = true; });
        connect(&m_socket, QOverload<QAbstractSocket::SocketError>::of(&QWebSocket::error), this,
                [this] { m_failed = true; });
    }
    ~Connection() override
    {
        m_socket.disconnect(this);
        m_socket.abort();
    }

    void openAsync(const QUrl &url) { m_socket.open(url); }
    bool isOpen() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    bool failed() const { return m_failed; }
    bool open(const QUrl &url, int timeoutMs)
    {
        openAsync(url);
        return waitUntil([this] { return isOpen() || m_failed; }, timeoutMs) && isOpen();
    }
    QString errorString() const { return m_socket.errorString(); }
    void send(const QByteArray &utf8) { m_socket.sendTextMessage(QString::fromUtf8(utf8)); }

    std::function<void(const QString &)> onText;

private:
    QWebSocket m_socket;
    bool m_failed = false;
};

QUrl producerUrl(const QString &base, const QString &topic)
{
    return QUrl(base + QStringLiteral("/ws/v2/producer/persistent/public/default/") + topic);
}

QUrl consumerUrl(const QString &base, const QString &topic, const QString &subscription)
{
    return QUrl(base + QStringLiteral("/ws/v2/consumer/persistent/public/default/") + topic + QLatin1Char('/') +
                subscription + QStringLiteral("?subscriptionInitialPosition=Earliest"));
}

// The payload carries its sequence number in its first 16 bytes, so that a consumer can time it end to end.
QByteArray payloadFor(const QByteArray &pattern, qint64 seq)
{
    QByteArray payload = pattern;
    char digits[24];
    const int n = std::snprintf(digits, sizeof digits, "%016lld", static_cast<long long>(seq));
    std::memcpy(payload.data(), digits, size_t(std::min<qsizetype>(std::min(n, 16), payload.size())));
    return payload;
}

qint64 seqOf(const QByteArray &payload)
{
    if (payload.size() < 16)
        return -1;
    bool ok = false;
    const qint64 seq = payload.left(16).toLongLong(&ok);
    return ok ? seq : -1;
}

// The client side of a producer: encode with ProducerSend, correlate acks by context with ProducerAck::decode.
class Producer final
{
public:
    explicit Producer(int payloadBytes)
        : m_pattern(std::max(16, payloadBytes), 'x')
    {
        m_connection.onText = [this](const QString &text) {
            const qint64 now = nowNs();
            const auto ack = Pulsar::ProducerAck::decode(text.toUtf8());
            qint64 seq = -1;
            if (ack && ack->context)
                seq = ack->context->toLongLong();
            ++m_acked;
            if (!ack || !ack->isOk()) {
                if (++m_errors <= 3)
                    std::fprintf(stderr, "pdesk_proxy_bench: error ack: %s\n", qPrintable(text.left(200)));
            }
            if (onAck)
                onAck(seq, now);
        };
    }

    bool open(const QUrl &url) { return m_connection.open(url, 10000); }
    QString errorString() const { return m_connection.errorString(); }
    bool failed() const { return m_connection.failed(); }

    void send(qint64 seq)
    {
        Pulsar::ProducerSend message;
        message.payload = payloadFor(m_pattern, seq);
        message.context = QString::number(seq);
        m_connection.send(message.encode());
        ++m_sent;
    }

    qint64 sent() const { return m_sent; }
    qint64 acked() const { return m_acked; }
    qint64 errors() const { return m_errors; }
    qint64 inFlight() const { return m_sent - m_acked; }

    std::function<void(qint64 seq, qint64 atNs)> onAck;

private:
    Connection m_connection;
    QByteArray m_pattern;
    qint64 m_sent = 0;
    qint64 m_acked = 0;
    qint64 m_errors = 0;
};

// The client side of a consumer: decode with ConsumerMessage::decode, ack each message as it arrives.
class Consumer final
{
public:
    Consumer()
    {
        m_connection.onText = [this](const QString &text) {
            const qint64 now = nowNs();
            auto frame = Pulsar::ConsumerMessage::decode(text.toUtf8());
            if (!frame) {
                ++m_errors;
                return;
            }
            ++m_received;
            m_connection.send(Pulsar::ConsumerCommand::ack(frame->messageId).encode());
            if (onMessage)
                onMessage(seqOf(frame->payload), now);
        };
    }

    bool open(const QUrl &url) { return m_connection.open(url, 10000); }
    QString errorString() const { return m_connection.errorString(); }
    qint64 received() const { return m_received; }
    qint64 errors() const { return m_errors; }

    std::function<void(qint64 seq, qint64 atNs)> onMessage;

private:
    Connection m_connection;
    qint64 m_received = 0;
    qint64 m_errors = 0;
};

// ---- scenarios -----------------------------------------------------------------------------------------

struct Target
{
    QString name; // bare, none, interval, always
    ChildProcess *process = nullptr;
};

struct PublishFigures
{
    bool ok = false;
    qint64 messages = 0;
    double seconds = 0;
    double rate = 0;
    Percentiles latency;
    qint64 errors = 0;
    qint64 totalSent = 0; // warm-up included
    double clientCpu = 0; // seconds
    double serverCpu = 0;
};

// Keeps `window` sends outstanding on one producer connection (windowed by context ids) until `messages` are
// acked or timeLimitMs passes. A warm-up of the same shape runs first, untimed: it creates the topic and grows
// buffers and TCP windows.
PublishFigures runWindowed(const Target &target, const QString &topic, int payloadBytes, int window, qint64 messages,
                           qint64 timeLimitMs, bool recordLatency = true)
{
    PublishFigures f;
    Producer producer(payloadBytes);
    if (!producer.open(producerUrl(target.process->url(), topic))) {
        std::fprintf(stderr, "pdesk_proxy_bench: producer handshake failed: %s\n", qPrintable(producer.errorString()));
        return f;
    }
    qint64 base = 0;     // first timed seq
    qint64 end = 0;      // last seq to send, exclusive
    bool stop = false;   // the time limit passed: drain, send no more
    bool timing = false; // past the warm-up, and latencies are wanted
    qint64 lastAck = 0;
    std::vector<qint64> sentAt;
    std::vector<qint64> latency;
    const auto pump = [&] {
        while (!stop && producer.sent() < end && producer.inFlight() < window) {
            const qint64 seq = producer.sent();
            if (timing)
                sentAt[size_t(seq - base)] = nowNs();
            producer.send(seq);
        }
    };
    producer.onAck = [&](qint64 seq, qint64 at) {
        lastAck = at;
        if (timing && seq >= base && seq < end)
            latency.push_back(at - sentAt[size_t(seq - base)]);
        pump();
    };

    const qint64 warmup = std::min<qint64>(std::max<qint64>(messages / 10, window * 2), 20000);
    end = warmup;
    pump();
    if (!waitUntil([&] { return producer.acked() == end || producer.failed(); }, 30000) || producer.failed()) {
        std::fprintf(stderr, "pdesk_proxy_bench: warm-up did not complete on %s\n", qPrintable(target.name));
        return f;
    }

    base = end;
    end = base + messages;
    if (recordLatency) {
        sentAt.assign(size_t(messages), 0);
        latency.reserve(size_t(messages));
        timing = true;
    }
    const double cpu0 = selfCpuSeconds();
    const double server0 = target.process->cpuSeconds();
    const qint64 t0 = nowNs();
    pump();
    const bool drained = waitUntil(
        [&] {
            if (!stop && nowNs() - t0 > timeLimitMs * 1000000)
                stop = true;
            return producer.failed() || (producer.acked() == producer.sent() && (stop || producer.sent() == end));
        },
        timeLimitMs + 30000);
    f.clientCpu = selfCpuSeconds() - cpu0;
    f.serverCpu = target.process->cpuSeconds() - server0;
    if (!drained || producer.failed()) {
        std::fprintf(stderr, "pdesk_proxy_bench: acks did not all arrive on %s\n", qPrintable(target.name));
        return f;
    }
    f.messages = producer.acked() - base;
    f.seconds = double(lastAck - t0) / 1e9;
    f.rate = double(f.messages) / f.seconds;
    f.errors = producer.errors();
    f.totalSent = producer.sent();
    f.latency = percentiles(std::move(latency));
    f.ok = f.errors == 0;
    return f;
}

QString publishLine(const QString &target, int payload, int window, int rep, const PublishFigures &f)
{
    if (!f.ok)
        return QStringLiteral("publish %1 %2B inflight=%3 rep=%4: FAILED (%5 error acks)")
            .arg(target)
            .arg(payload)
            .arg(window)
            .arg(rep)
            .arg(f.errors);
    return QStringLiteral("publish %1 %2B inflight=%3 rep=%4: %5 msg/s (%6 msgs in %7 s) ack p50 %8 ms p99 %9 ms "
                          "max %10 ms | cpu client %11 us/msg, server %12 us/msg")
        .arg(target, -8)
        .arg(payload, 4)
        .arg(window, 4)
        .arg(rep)
        .arg(withThousands(f.rate), 9)
        .arg(f.messages)
        .arg(f.seconds, 0, 'f', 2)
        .arg(f.latency.p50Ms, 0, 'f', 3)
        .arg(f.latency.p99Ms, 0, 'f', 3)
        .arg(f.latency.maxMs, 0, 'f', 3)
        .arg(f.clientCpu * 1e6 / double(f.messages), 0, 'f', 2)
        .arg(f.serverCpu * 1e6 / double(f.messages), 0, 'f', 2);
}

struct PacedFigures
{
    bool ok = false;
    qint64 messages = 0;
    double achievedRate = 0;
    Percentiles ack;
    Percentiles endToEnd;
    qint64 windowFull = 0; // sends deferred because 1000 were outstanding: the target fell behind the rate
    double serverCpu = 0;  // seconds
    double seconds = 0;    // wall time until the last ack and delivery, longer than planned when behind
};

// Publishes at a fixed rate, paced by a 1 ms timer (not by acks), with a consumer on the same topic acking every
// message. Publish-to-ack and publish-to-receive latencies come from the same messages.
PacedFigures runPaced(const Target &target, const QString &topic, int rate, int durationMs, bool withConsumer)
{
    PacedFigures f;
    const qint64 total = qint64(rate) * durationMs / 1000;
    std::vector<qint64> sentAt(size_t(total), 0);
    std::vector<qint64> ackLatency;
    std::vector<qint64> e2eLatency;
    ackLatency.reserve(size_t(total));
    e2eLatency.reserve(size_t(total));

    std::unique_ptr<Consumer> consumer;
    if (withConsumer) {
        consumer = std::make_unique<Consumer>();
        if (!consumer->open(consumerUrl(target.process->url(), topic, QStringLiteral("latency")))) {
            std::fprintf(stderr, "pdesk_proxy_bench: consumer handshake failed: %s\n",
                         qPrintable(consumer->errorString()));
            return f;
        }
        consumer->onMessage = [&](qint64 seq, qint64 at) {
            if (seq >= 0 && seq < total && sentAt[size_t(seq)] > 0)
                e2eLatency.push_back(at - sentAt[size_t(seq)]);
        };
    }
    Producer producer(100);
    if (!producer.open(producerUrl(target.process->url(), topic))) {
        std::fprintf(stderr, "pdesk_proxy_bench: producer handshake failed: %s\n", qPrintable(producer.errorString()));
        return f;
    }
    producer.onAck = [&](qint64 seq, qint64 at) {
        if (seq >= 0 && seq < total)
            ackLatency.push_back(at - sentAt[size_t(seq)]);
    };

    const qint64 t0 = nowNs();
    const double server0 = target.process->cpuSeconds();
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    QObject::connect(&tick, &QTimer::timeout, [&] {
        const qint64 due = std::min(total, (nowNs() - t0) * rate / 1000000000);
        while (producer.sent() < due) {
            if (producer.inFlight() >= 1000) { // Pulsar's pending-publish bound: past it we would get errors
                ++f.windowFull;
                break;
            }
            const qint64 seq = producer.sent();
            sentAt[size_t(seq)] = nowNs();
            producer.send(seq);
        }
        if (producer.sent() >= total)
            tick.stop();
    });
    tick.start(1);
    const bool done = waitUntil(
        [&] {
            return producer.failed() || (producer.acked() >= total && (!consumer || consumer->received() >= total));
        },
        durationMs * 3 + 30000);
    tick.stop();
    f.serverCpu = target.process->cpuSeconds() - server0;
    f.seconds = double(nowNs() - t0) / 1e9;
    if (!done) {
        std::fprintf(stderr, "pdesk_proxy_bench: paced run did not complete (%lld acked, %lld received of %lld)\n",
                     producer.acked(), consumer ? consumer->received() : 0LL, total);
        return f;
    }
    f.messages = total;
    f.seconds = double(nowNs() - t0) / 1e9;
    f.achievedRate = double(total) / f.seconds;
    f.ack = percentiles(std::move(ackLatency));
    f.endToEnd = percentiles(std::move(e2eLatency));
    f.ok = producer.errors() == 0;
    return f;
}

struct ConsumeFigures
{
    bool ok = false;
    qint64 messages = 0;
    double prepublishRate = 0;
    double rate = 0;
    double firstMessageMs = 0;
    qint64 duplicates = 0;
    double clientCpu = 0;
    double serverCpu = 0;
};

// Pre-publishes `messages`, then one consumer (Earliest) acks each message as it arrives.
ConsumeFigures runConsume(const Target &target, const QString &topic, int payloadBytes, qint64 messages)
{
    ConsumeFigures f;
    {
        // The subscription exists before the messages do, so that it keeps them: retention deletes the sealed
        // segments of a topic nobody subscribes to (50 MiB each), and a large pre-publish would lose its head.
        Connection subscribe;
        if (!subscribe.open(consumerUrl(target.process->url(), topic, QStringLiteral("consume")), 10000)) {
            std::fprintf(stderr, "pdesk_proxy_bench: cannot create the subscription: %s\n",
                         qPrintable(subscribe.errorString()));
            return f;
        }
    }
    const PublishFigures pre = runWindowed(target, topic, payloadBytes, 1000, messages, 120000, false);
    if (!pre.ok)
        return f;
    f.prepublishRate = pre.rate;
    // The warm-up of runWindowed published some more: the consumer reads all of them.
    const qint64 expected = pre.totalSent;
    std::vector<bool> seen(size_t(expected), false);
    qint64 last = 0;
    Consumer consumer;
    consumer.onMessage = [&](qint64 seq, qint64 at) {
        last = at;
        if (seq < 0 || seq >= expected)
            return;
        if (seen[size_t(seq)])
            ++f.duplicates;
        seen[size_t(seq)] = true;
    };
    const double cpu0 = selfCpuSeconds();
    const double server0 = target.process->cpuSeconds();
    const qint64 t0 = nowNs();
    if (!consumer.open(consumerUrl(target.process->url(), topic, QStringLiteral("consume")))) {
        std::fprintf(stderr, "pdesk_proxy_bench: consumer handshake failed: %s\n", qPrintable(consumer.errorString()));
        return f;
    }
    qint64 firstAt = 0;
    // A stall (nothing received for 15 s) ends the run early: it is a finding, not something to wait out.
    qint64 progressAt = nowNs();
    qint64 progressCount = 0;
    bool stalled = false;
    const bool done = waitUntil(
                          [&] {
                              if (firstAt == 0 && consumer.received() > 0)
                                  firstAt = last;
                              if (consumer.received() != progressCount) {
                                  progressCount = consumer.received();
                                  progressAt = nowNs();
                              } else if (nowNs() - progressAt > 15000000000LL) {
                                  stalled = true;
                              }
                              return stalled || consumer.received() >= expected;
                          },
                          300000) &&
                      !stalled;
    f.clientCpu = selfCpuSeconds() - cpu0;
    f.serverCpu = target.process->cpuSeconds() - server0;
    if (!done) {
        std::fprintf(stderr, "pdesk_proxy_bench: consumer received %lld of %lld%s\n", consumer.received(), expected,
                     stalled ? ", then nothing for 15 s" : "");
        f.messages = consumer.received();
        return f;
    }
    f.messages = consumer.received();
    f.rate = double(f.messages) / (double(last - t0) / 1e9);
    f.firstMessageMs = double(firstAt - t0) / 1e6;
    f.ok = consumer.errors() == 0 && f.duplicates == 0;
    return f;
}

// ---- the driver ----------------------------------------------------------------------------------------

struct Options
{
    bool quick = false;
    QStringList only;
    QStringList targets = {QStringLiteral("bare"), QStringLiteral("none"), QStringLiteral("interval"),
                           QStringLiteral("always")};
    int reps = 3;
    std::vector<int> payloads = {100, 1024};
    std::vector<int> windows = {1, 100, 1000};
    QString proxy;
    QString self;
    QString dataRoot;
    qint64 messages = 200000;
    qint64 startupMessages = 10000000;
    qint64 consumeMessages = 100000;
    bool wants(const QString &what) const { return only.isEmpty() || only.contains(what); }
};

// The proxy processes of one run, each on its own scratch store. Declared so that the processes stop before
// their directories are removed.
struct Servers;
std::vector<Servers *> g_liveServers; // what an interrupted run must still stop and remove

struct Servers
{
    QTemporaryDir dirs;
    std::map<QString, std::unique_ptr<ChildProcess>> processes;

    explicit Servers(const QString &root)
        : dirs(root + QStringLiteral("/pdesk-proxy-bench-XXXXXX"))
    {
        g_liveServers.push_back(this);
    }
    ~Servers()
    {
        processes.clear();
        g_liveServers.erase(std::remove(g_liveServers.begin(), g_liveServers.end(), this), g_liveServers.end());
    }

    ChildProcess *startProxy(const Options &options, const QString &sync, const QString &name)
    {
        const QString dir = dirs.path() + QLatin1Char('/') + name;
        QDir().mkpath(dir);
        auto process = std::make_unique<ChildProcess>();
        if (!process->start(options.proxy,
                            {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--data-dir"), dir,
                             QStringLiteral("--sync"), sync, QStringLiteral("--log-level"), QStringLiteral("warning")},
                            30000))
            die("cannot start pulsar-desk-proxy (see --proxy)");
        return (processes[name] = std::move(process)).get();
    }

    // The bare baseline first, then one proxy per sync mode, as --targets lists them.
    std::vector<Target> startTargets(const Options &options)
    {
        std::vector<Target> targets;
        for (const QString &name : options.targets)
            targets.push_back(
                {name, name == QLatin1String("bare") ? startEcho(options) : startProxy(options, name, name)});
        return targets;
    }

    ChildProcess *startEcho(const Options &options)
    {
        auto process = std::make_unique<ChildProcess>();
        if (!process->start(options.self, {QStringLiteral("--echo-server")}, 30000))
            die("cannot start the echo server");
        return (processes[QStringLiteral("bare")] = std::move(process)).get();
    }
};

void publishMatrix(const Options &options)
{
    out(QStringLiteral("\n== publish throughput: one producer connection, windowed by context ids =="));
    Servers servers(options.dataRoot);
    const std::vector<Target> targets = servers.startTargets(options);
    const std::vector<int> &payloads = options.payloads;
    const std::vector<int> &windows = options.windows;
    // Figures by (payload, window, target), one per repetition; repetitions interleave the targets so that the
    // machine's noise hits all of them alike.
    std::map<std::tuple<int, int, QString>, std::vector<PublishFigures>> results;
    int run = 0;
    for (int payload : payloads) {
        for (int window : windows) {
            for (int rep = 1; rep <= options.reps; ++rep) {
                for (const Target &target : targets) {
                    const qint64 messages = window == 1 ? std::min<qint64>(options.messages / 10, 20000)
                                                        : options.messages / (payload > 100 ? 2 : 1);
                    const qint64 limitMs = options.quick ? 3000 : (window == 1 ? 4000 : 10000);
                    const QString topic = QStringLiteral("pub-%1").arg(++run);
                    const PublishFigures f = runWindowed(target, topic, payload, window, messages, limitMs);
                    out(publishLine(target.name, payload, window, rep, f));
                    results[{payload, window, target.name}].push_back(f);
                }
            }
        }
    }

    out(QStringLiteral("\nSummary (median of %1 run(s); latency is publish-to-ack):\n").arg(options.reps));
    out(QStringLiteral("| target | payload | in flight | msg/s | MB/s | ack p50 ms | ack p99 ms | ack max ms | client "
                       "CPU us/msg | server CPU us/msg | vs bare |"));
    out(QStringLiteral("|---|---|---|---|---|---|---|---|---|---|---|"));
    for (const Target &target : targets) {
        for (int payload : payloads) {
            for (int window : windows) {
                const auto &runs = results[{payload, window, target.name}];
                const auto &bare = results[{payload, window, QStringLiteral("bare")}];
                std::vector<double> rate, p50, p99, mx, ccpu, scpu, ratio;
                for (size_t i = 0; i < runs.size(); ++i) {
                    const PublishFigures &f = runs[i];
                    if (!f.ok)
                        continue;
                    rate.push_back(f.rate);
                    p50.push_back(f.latency.p50Ms);
                    p99.push_back(f.latency.p99Ms);
                    mx.push_back(f.latency.maxMs);
                    ccpu.push_back(f.clientCpu * 1e6 / double(f.messages));
                    scpu.push_back(f.serverCpu * 1e6 / double(f.messages));
                    if (i < bare.size() && bare[i].ok)
                        ratio.push_back(f.rate / bare[i].rate); // the same repetition, side by side
                }
                out(QStringLiteral("| %1 | %2 B | %3 | %4 | %5 | %6 | %7 | %8 | %9 | %10 | %11 |")
                        .arg(target.name)
                        .arg(payload)
                        .arg(window)
                        .arg(rate.empty() ? QStringLiteral("failed") : withThousands(median(rate)))
                        .arg(median(rate) * payload / 1e6, 0, 'f', 1)
                        .arg(median(p50), 0, 'f', 3)
                        .arg(median(p99), 0, 'f', 3)
                        .arg(median(mx), 0, 'f', 2)
                        .arg(median(ccpu), 0, 'f', 2)
                        .arg(median(scpu), 0, 'f', 2)
                        .arg(target.name == QLatin1String("bare") ? QStringLiteral("1")
                             : ratio.empty()                      ? QStringLiteral("-")
                                                                  : QString::number(median(ratio), 'f', 2)));
            }
        }
    }
    for (const Target &target : targets) {
        const Memory m = target.process->memory();
        out(QStringLiteral("peak RSS of %1 after the matrix: %2 MB")
                .arg(target.name)
                .arg(double(m.hwmKb) / 1024, 0, 'f', 1));
    }
}

QString pacedRow(const QString &target, bool withConsumer, int rate, int durationMs, const PacedFigures &f)
{
    const QString consumer = withConsumer ? QStringLiteral("yes") : QStringLiteral("no");
    if (!f.ok)
        return QStringLiteral("| %1 | %2 | %3 | failed | | | | | | | | |").arg(target, consumer, withThousands(rate));
    const auto e2e = [&](double v) { return withConsumer ? QString::number(v, 'f', 3) : QStringLiteral("-"); };
    return QStringLiteral("| %1 | %2 | %3 | %4 | %5 | %6 | %7 | %8 | %9 | %10 | %11% | %12 |")
        .arg(target, consumer, withThousands(rate))
        .arg(f.messages)
        .arg(f.ack.p50Ms, 0, 'f', 3)
        .arg(f.ack.p99Ms, 0, 'f', 3)
        .arg(f.ack.maxMs, 0, 'f', 3)
        .arg(e2e(f.endToEnd.p50Ms), e2e(f.endToEnd.p99Ms), e2e(f.endToEnd.maxMs))
        .arg(f.serverCpu * 100 / std::max(f.seconds, durationMs / 1000.0), 0, 'f', 0)
        .arg(f.windowFull ? QStringLiteral("yes (%1 ticks)").arg(f.windowFull) : QStringLiteral("no"));
}

void latencyMatrix(const Options &options)
{
    out(QStringLiteral("\n== latency at fixed rates: 100 B, paced by a 1 ms timer (not by acks) =="));
    out(QStringLiteral(
        "Publish only (publish-to-ack) on one server per target; then, on a fresh proxy per row, the same "
        "with a consumer on the topic that acks every message (publish-to-ack and end to end)."));
    const std::vector<int> rates = options.quick ? std::vector<int>{1000, 10000} : std::vector<int>{1000, 10000, 50000};
    const int durationMs = options.quick ? 2000 : 6000;
    out(QStringLiteral(
        "| target | consumer | rate msg/s | messages | ack p50 ms | ack p99 ms | ack max ms | e2e p50 ms | e2e p99 ms "
        "| e2e max ms | server CPU | fell behind |"));
    out(QStringLiteral("|---|---|---|---|---|---|---|---|---|---|---|---|"));
    int run = 0;
    {
        Servers servers(options.dataRoot);
        const std::vector<Target> targets = servers.startTargets(options);
        for (int rate : rates) {
            for (const Target &target : targets) {
                // --sync always is bound by fdatasync, which neighbours on this machine move a lot: show it.
                if (target.name == QLatin1String("always"))
                    out(QStringLiteral("| (%1) | | | | | | | | | | | |").arg(fsyncProbe(options.dataRoot, 100)));
                const PacedFigures f = runPaced(target, QStringLiteral("lat-%1").arg(++run), rate, durationMs, false);
                out(pacedRow(target.name, false, rate, durationMs, f));
            }
        }
    }
    // A fresh proxy per consumer row: what a subscription leaves behind in a proxy (timers, caches) must not
    // weigh on the next row.
    for (int rate : rates) {
        for (const QString &name : options.targets) {
            if (name == QLatin1String("bare"))
                continue; // the echo server has no consumers
            Servers servers(options.dataRoot);
            const Target target{name, servers.startProxy(options, name, name)};
            const PacedFigures f = runPaced(target, QStringLiteral("lat-%1").arg(++run), rate, durationMs, true);
            out(pacedRow(name, true, rate, durationMs, f));
        }
    }
}

void consumeMatrix(const Options &options)
{
    out(QStringLiteral("\n== consume-and-ack: pre-publish N, then one consumer (Earliest) acks each message =="));
    out(QStringLiteral("A fresh proxy per row."));
    out(QStringLiteral(
        "| sync | payload | messages | pre-publish msg/s | consume msg/s | first message ms | client CPU "
        "us/msg | server CPU us/msg |"));
    out(QStringLiteral("|---|---|---|---|---|---|---|---|"));
    const std::vector<int> payloads = options.quick ? std::vector<int>{100} : std::vector<int>{100, 1024};
    for (const QString &name : options.targets) {
        if (name == QLatin1String("bare"))
            continue; // the echo server has no consumers
        for (int payload : payloads) {
            Servers servers(options.dataRoot);
            const Target target{name, servers.startProxy(options, name, name)};
            const ConsumeFigures f =
                runConsume(target, QStringLiteral("consume-%1").arg(payload), payload, options.consumeMessages);
            if (!f.ok) {
                out(QStringLiteral("| %1 | %2 B | failed (%3 received, %4 duplicates) | | | | | |")
                        .arg(name)
                        .arg(payload)
                        .arg(f.messages)
                        .arg(f.duplicates));
                continue;
            }
            out(QStringLiteral("| %1 | %2 B | %3 | %4 | %5 | %6 | %7 | %8 |")
                    .arg(name)
                    .arg(payload)
                    .arg(f.messages)
                    .arg(withThousands(f.prepublishRate))
                    .arg(withThousands(f.rate))
                    .arg(f.firstMessageMs, 0, 'f', 1)
                    .arg(f.clientCpu * 1e6 / double(f.messages), 0, 'f', 2)
                    .arg(f.serverCpu * 1e6 / double(f.messages), 0, 'f', 2));
        }
    }
}

// msgBacklog of one subscription from the admin API's topic stats (spec 9): proof of what a restart recovered.
QString subscriptionBacklog(const QString &wsUrl, const QString &topic, const QString &subscription)
{
    QUrl url(wsUrl);
    url.setScheme(QStringLiteral("http"));
    url.setPath(QStringLiteral("/admin/v2/persistent/public/default/") + topic + QStringLiteral("/stats"));
    QNetworkAccessManager manager;
    QNetworkReply *reply = manager.get(QNetworkRequest(url));
    if (!waitUntil([reply] { return reply->isFinished(); }, 30000))
        return QStringLiteral("(no answer from %1)").arg(url.toString());
    const QJsonObject stats = QJsonDocument::fromJson(reply->readAll()).object();
    reply->deleteLater();
    const QJsonValue backlog = stats.value(QStringLiteral("subscriptions"))
                                   .toObject()
                                   .value(subscription)
                                   .toObject()
                                   .value(QStringLiteral("msgBacklog"));
    return backlog.isDouble() ? withThousands(backlog.toDouble()) : QStringLiteral("(not in the stats)");
}

void startupTest(const Options &options)
{
    out(QStringLiteral("\n== start-up with a large store: %1 messages of 100 B on one topic ==")
            .arg(withThousands(double(options.startupMessages))));
    Servers servers(options.dataRoot);
    const QString topic = QStringLiteral("large");
    {
        ChildProcess *writer = servers.startProxy(options, QStringLiteral("none"), QStringLiteral("large"));
        const Target target{QStringLiteral("none"), writer};
        {
            // A durable subscription that never acks keeps every message: without one, retention may delete the
            // sealed segments of a topic nobody subscribes to, and the restart would find a small store.
            Connection keep;
            if (!keep.open(consumerUrl(writer->url(), topic, QStringLiteral("keep")), 10000))
                die("cannot create the subscription that keeps the large store");
        }
        const PublishFigures f = runWindowed(target, topic, 100, 1000, options.startupMessages,
                                             std::max<qint64>(600000, options.startupMessages / 10), false);
        if (!f.ok)
            die("could not fill the large store");
        out(QStringLiteral("filled through the proxy (--sync none, 1000 in flight): %1 msg/s, %2 s; peak RSS %3 MB")
                .arg(withThousands(f.rate))
                .arg(f.seconds, 0, 'f', 1)
                .arg(double(writer->memory().hwmKb) / 1024, 0, 'f', 1));
        const qint64 stopNs = writer->stop();
        out(QStringLiteral("shutdown (SIGTERM to exit): %1 ms").arg(double(stopNs) / 1e6, 0, 'f', 1));
    }
    qint64 diskBytes = 0;
    {
        QProcess du;
        du.start(QStringLiteral("du"), {QStringLiteral("-sb"), servers.dirs.path() + QStringLiteral("/large")});
        du.waitForFinished(60000);
        diskBytes = du.readAllStandardOutput().split('\t').value(0).toLongLong();
    }
    out(QStringLiteral("store on disk: %1 MB").arg(double(diskBytes) / 1e6, 0, 'f', 0));
    out(QStringLiteral(
        "| restart | start to URL line ms | start to producer handshake ms | start to consumer handshake ms "
        "| start to first message (Earliest) ms | RSS after MB |"));
    out(QStringLiteral("|---|---|---|---|---|---|"));
    for (int rep = 1; rep <= 3; ++rep) {
        const QString dir = servers.dirs.path() + QStringLiteral("/large");
        ChildProcess proxy;
        const qint64 t0 = nowNs();
        const auto urlNs = proxy.start(options.proxy,
                                       {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--data-dir"),
                                        dir, QStringLiteral("--sync"), QStringLiteral("always"),
                                        QStringLiteral("--log-level"), QStringLiteral("warning")},
                                       60000);
        if (!urlNs)
            die("cannot restart the proxy on the large store");
        Connection producer;
        if (!producer.open(producerUrl(proxy.url(), topic), 30000))
            die("no producer handshake after restart");
        const qint64 producerNs = nowNs() - t0;
        Consumer consumer;
        qint64 firstAt = 0;
        consumer.onMessage = [&](qint64, qint64 at) {
            if (firstAt == 0)
                firstAt = at;
        };
        if (!consumer.open(consumerUrl(proxy.url(), topic, QStringLiteral("restart-%1").arg(rep))))
            die("no consumer handshake after restart");
        const qint64 consumerNs = nowNs() - t0;
        if (rep == 1)
            out(QStringLiteral("backlog of the subscription that kept the store, after the restart: %1")
                    .arg(subscriptionBacklog(proxy.url(), topic, QStringLiteral("keep"))));
        if (!waitUntil([&] { return firstAt != 0; }, 30000))
            die("no message after restart");
        out(QStringLiteral("| %1 | %2 | %3 | %4 | %5 | %6 |")
                .arg(rep)
                .arg(double(*urlNs) / 1e6, 0, 'f', 1)
                .arg(double(producerNs) / 1e6, 0, 'f', 1)
                .arg(double(consumerNs) / 1e6, 0, 'f', 1)
                .arg(double(firstAt - t0) / 1e6, 0, 'f', 1)
                .arg(double(proxy.memory().rssKb) / 1024, 0, 'f', 1));
    }
}

void rssTest(const Options &options)
{
    out(QStringLiteral("\n== RSS of the proxy (--sync always): idle, then with idle producer connections =="));
    Servers servers(options.dataRoot);
    ChildProcess *proxy = servers.startProxy(options, QStringLiteral("always"), QStringLiteral("rss"));
    settle(500);
    out(QStringLiteral("| connections | VmRSS MB | RssAnon MB | RssFile MB | threads | per connection KB |"));
    out(QStringLiteral("|---|---|---|---|---|---|"));
    const Memory idle = proxy->memory();
    const auto row = [&](int n, const Memory &m) {
        out(QStringLiteral("| %1 | %2 | %3 | %4 | %5 | %6 |")
                .arg(n)
                .arg(double(m.rssKb) / 1024, 0, 'f', 1)
                .arg(double(m.anonKb) / 1024, 0, 'f', 1)
                .arg(double(m.fileKb) / 1024, 0, 'f', 1)
                .arg(m.threads)
                .arg(n ? QString::number(double(m.rssKb - idle.rssKb) / n, 'f', 1) : QStringLiteral("-")));
    };
    row(0, idle);
    std::vector<std::unique_ptr<Connection>> connections;
    for (int target : {1, 100, 1000}) {
        // Batches of 25 keep the handshakes in flight below QWebSocketServer's default queue of 30 even if the
        // proxy did not raise it, and below the kernel's accept backlog.
        while (int(connections.size()) < target) {
            const int batch = std::min(25, target - int(connections.size()));
            std::vector<Connection *> fresh;
            for (int i = 0; i < batch; ++i) {
                connections.push_back(std::make_unique<Connection>());
                fresh.push_back(connections.back().get());
                // One topic for all: per-topic store state (a 64 MiB preallocated segment each) is not what is
                // measured here.
                fresh.back()->openAsync(producerUrl(proxy->url(), QStringLiteral("rss")));
            }
            const bool ok = waitUntil(
                [&] {
                    return std::all_of(fresh.begin(), fresh.end(),
                                       [](Connection *c) { return c->isOpen() || c->failed(); });
                },
                30000);
            if (!ok || std::any_of(fresh.begin(), fresh.end(), [](Connection *c) { return !c->isOpen(); }))
                die("idle producer connections could not all be opened");
        }
        settle(500);
        row(target, proxy->memory());
    }
}

} // namespace

int main(int argc, char *argv[])
{
    g_clock.start();
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Load, latency, start-up and memory figures for pulsar-desk-proxy."));
    parser.addHelpOption();
    const QCommandLineOption quickOption(QStringLiteral("quick"),
                                         QStringLiteral("A reduced matrix that runs in about two minutes."));
    const QCommandLineOption onlyOption(QStringLiteral("only"),
                                        QStringLiteral("Comma-separated: publish, latency, consume, startup, rss."),
                                        QStringLiteral("list"));
    const QCommandLineOption repsOption(QStringLiteral("reps"),
                                        QStringLiteral("Repetitions of each publish cell (default 3, quick 1)."),
                                        QStringLiteral("n"));
    const QCommandLineOption proxyOption(QStringLiteral("proxy"), QStringLiteral("Path of pulsar-desk-proxy."),
                                         QStringLiteral("path"), QStringLiteral(PDESK_PROXY_BINARY));
    const QCommandLineOption rootOption(QStringLiteral("data-root"),
                                        QStringLiteral("Where the scratch stores go (default: the temp dir)."),
                                        QStringLiteral("dir"), QDir::tempPath());
    const QCommandLineOption messagesOption(
        QStringLiteral("messages"),
        QStringLiteral("Messages per publish run (default 200000, quick 50000; halved for 1 KiB, /10 at 1 in flight)."),
        QStringLiteral("n"));
    const QCommandLineOption startupOption(
        QStringLiteral("startup-messages"),
        QStringLiteral("Messages in the start-up test's store (default 10000000, quick 1000000)."),
        QStringLiteral("n"));
    const QCommandLineOption targetsOption(
        QStringLiteral("targets"),
        QStringLiteral(
            "Comma-separated servers for publish/latency/consume: bare, none, interval, always (default all)."),
        QStringLiteral("list"));
    const QCommandLineOption payloadsOption(QStringLiteral("payloads"),
                                            QStringLiteral("Payload sizes of the publish matrix (default 100,1024)."),
                                            QStringLiteral("list"));
    const QCommandLineOption windowsOption(
        QStringLiteral("windows"), QStringLiteral("In-flight windows of the publish matrix (default 1,100,1000)."),
        QStringLiteral("list"));
    const QCommandLineOption consumeOption(
        QStringLiteral("consume-messages"),
        QStringLiteral("Messages pre-published for consume-and-ack (default 100000, quick 20000)."),
        QStringLiteral("n"));
    const QCommandLineOption echoOption(QStringLiteral("echo-server"),
                                        QStringLiteral("Internal: run the bare QtWebSockets baseline server."));
    parser.addOptions({quickOption, onlyOption, repsOption, proxyOption, rootOption, messagesOption, startupOption,
                       targetsOption, payloadsOption, windowsOption, consumeOption, echoOption});
    parser.process(app);

    if (parser.isSet(echoOption))
        return runEchoServer();

    // Ctrl-C or SIGTERM: stop the servers and remove the scratch stores (gigabytes in the full run), then leave.
    // The handler only writes to a socket pair; the event loop, which every wait runs, does the rest.
    static int signalFds[2] = {-1, -1};
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, signalFds) == 0) {
        auto *notifier = new QSocketNotifier(signalFds[1], QSocketNotifier::Read, &app);
        QObject::connect(notifier, &QSocketNotifier::activated, &app, [] {
            std::fprintf(stderr, "pdesk_proxy_bench: interrupted, stopping the servers\n");
            for (Servers *servers : g_liveServers) {
                servers->processes.clear();
                servers->dirs.remove();
            }
            std::_Exit(130);
        });
        struct sigaction action = {};
        action.sa_handler = [](int) {
            const char byte = 1;
            [[maybe_unused]] const auto n = ::write(signalFds[0], &byte, 1);
        };
        sigemptyset(&action.sa_mask);
        ::sigaction(SIGINT, &action, nullptr);
        ::sigaction(SIGTERM, &action, nullptr);
    }

    // 1000 client sockets plus the servers' must fit under the descriptor limit.
    rlimit files = {};
    if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
        files.rlim_cur = std::min<rlim_t>(files.rlim_max, 65536);
        setrlimit(RLIMIT_NOFILE, &files);
    }

    Options options;
    options.quick = parser.isSet(quickOption);
    options.only = parser.value(onlyOption).split(QLatin1Char(','), Qt::SkipEmptyParts);
    if (parser.isSet(targetsOption))
        options.targets = parser.value(targetsOption).split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString &t : std::as_const(options.targets)) {
        if (t != QLatin1String("bare") && t != QLatin1String("none") && t != QLatin1String("interval") &&
            t != QLatin1String("always"))
            die("--targets: expected bare, none, interval or always");
    }
    const auto intList = [&](const QCommandLineOption &option, std::vector<int> *values, int lo, int hi) {
        if (!parser.isSet(option))
            return;
        values->clear();
        for (const QString &item : parser.value(option).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            bool ok = false;
            const int v = item.toInt(&ok);
            if (!ok || v < lo || v > hi)
                die("--payloads: 16..700000 bytes; --windows: 1..1000 (the proxy's pending-publish bound)");
            values->push_back(v);
        }
    };
    intList(payloadsOption, &options.payloads, 16, 700000);
    intList(windowsOption, &options.windows, 1, 1000);
    options.reps = parser.isSet(repsOption) ? parser.value(repsOption).toInt() : (options.quick ? 1 : 3);
    options.proxy = parser.value(proxyOption);
    options.self = QCoreApplication::applicationFilePath();
    options.dataRoot = parser.value(rootOption);
    options.messages =
        parser.isSet(messagesOption) ? parser.value(messagesOption).toLongLong() : (options.quick ? 50000 : 200000);
    options.consumeMessages =
        parser.isSet(consumeOption) ? parser.value(consumeOption).toLongLong() : (options.quick ? 20000 : 100000);
    options.startupMessages =
        parser.isSet(startupOption) ? parser.value(startupOption).toLongLong() : (options.quick ? 1000000 : 10000000);
    if (options.proxy.isEmpty() || !QFile::exists(options.proxy))
        die("pulsar-desk-proxy not found: pass --proxy PATH");
    if (options.reps < 1 || options.messages < 1000 || options.startupMessages < 1000)
        die("--reps must be at least 1, --messages and --startup-messages at least 1000");

    out(QStringLiteral("pdesk_proxy_bench (%1), proxy %2, Qt %3, %4")
            .arg(options.quick ? QStringLiteral("quick") : QStringLiteral("full"), options.proxy,
                 QString::fromLatin1(qVersion()), QDateTime::currentDateTime().toString(Qt::ISODate)));
    out(QStringLiteral("load average at start: %1").arg(loadAverage()));

    out(fsyncProbe(options.dataRoot, 300));
    const qint64 t0 = nowNs();
    if (options.wants(QStringLiteral("publish")))
        publishMatrix(options);
    if (options.wants(QStringLiteral("latency")))
        latencyMatrix(options);
    if (options.wants(QStringLiteral("consume")))
        consumeMatrix(options);
    if (options.wants(QStringLiteral("startup")))
        startupTest(options);
    if (options.wants(QStringLiteral("rss")))
        rssTest(options);
    out(QStringLiteral("\nload average at end: %1").arg(loadAverage()));
    out(fsyncProbe(options.dataRoot, 300));
    out(QStringLiteral("total time: %1 s").arg(double(nowNs() - t0) / 1e9, 0, 'f', 1));
    return 0;
}
