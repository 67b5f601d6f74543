// Throughput and ack latency of the client library (core/client) against a Pulsar WebSocket service: this
// program publishes N messages through Pulsar::ProducerSession with an in-flight window, then consumes them
// through Pulsar::ConsumerSession from Earliest, acking each one. The same work is done by
// bench/client/ws_bench.js (Node's ws) and bench/client/websocket_client_bench.py (Python's websocket-client);
// bench/run-client-bench.sh runs the three side by side, bench/run-pulsar-bench.sh runs this one against
// Apache Pulsar standalone and the proxy. See docs/benchmarks.md.
//
// Without --url it starts pulsar-desk-proxy itself (--port 0, --sync as given, a scratch data directory) and
// stops it when done. Each phase prints one machine-readable line:
//   RESULT client=pdesk phase=produce messages=N seconds=S rate=R p50_ms=A p99_ms=B max_ms=C
// Under valgrind --tool=callgrind --instr-atstart=no, only the timed phases are instrumented and each is
// dumped on its own (parts "produce" and "consume"), so startup, handshakes and the warm-up are excluded.
//
//   pdesk_client_bench [--url ws://host:port] [--proxy PATH] [--sync none|interval|always] [--messages N]
//                      [--payload BYTES] [--window N] [--warmup N] [--topic NAME] [--label TEXT]
#include "client/consumersession.h"
#include "client/producersession.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <optional>
#include <vector>

#include <sys/prctl.h>

#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define PDESK_HAVE_CALLGRIND 1
#else
#define PDESK_HAVE_CALLGRIND 0
#endif

#ifndef PDESK_PROXY_BINARY
#define PDESK_PROXY_BINARY ""
#endif

namespace {

QElapsedTimer g_clock;

qint64 nowNs()
{
    return g_clock.nsecsElapsed();
}

[[noreturn]] void die(const QString &what)
{
    std::fprintf(stderr, "pdesk_client_bench: %s\n", qPrintable(what));
    std::fflush(stderr);
    // A child proxy gets SIGTERM through PR_SET_PDEATHSIG; exit() runs no Qt destructors that could block.
    std::exit(1);
}

void out(const QString &line)
{
    std::printf("%s\n", qPrintable(line));
    std::fflush(stdout);
}

// Callgrind client requests are no-ops outside valgrind (a few instructions), so they stay in every build.
void instrumentationOn()
{
#if PDESK_HAVE_CALLGRIND
    CALLGRIND_START_INSTRUMENTATION;
    CALLGRIND_ZERO_STATS;
#endif
}

void instrumentationOff(const char *part)
{
#if PDESK_HAVE_CALLGRIND
    CALLGRIND_DUMP_STATS_AT(part);
    CALLGRIND_STOP_INSTRUMENTATION;
#else
    Q_UNUSED(part);
#endif
}

// Runs the event loop until done() holds or timeoutMs passes; a heartbeat keeps the deadline honoured when no
// traffic arrives.
bool waitUntil(const std::function<bool()> &done, qint64 timeoutMs)
{
    if (done())
        return true;
    QTimer heartbeat;
    heartbeat.start(50);
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    }
    return true;
}

struct Percentiles
{
    double p50Ms = 0;
    double p99Ms = 0;
    double maxMs = 0;
};

Percentiles percentiles(std::vector<qint64> ns)
{
    Percentiles p;
    if (ns.empty())
        return p;
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

// pulsar-desk-proxy as a child process: its first stdout line is its ws:// URL.
class ProxyProcess final
{
public:
    ~ProxyProcess()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.terminate();
        if (!m_process.waitForFinished(15000)) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    QString start(const QString &program, const QString &sync)
    {
        if (!m_dir.isValid())
            die(QStringLiteral("cannot create a scratch data directory"));
        m_process.setProgram(program);
        m_process.setArguments({QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--data-dir"),
                                m_dir.path(), QStringLiteral("--sync"), sync, QStringLiteral("--log-level"),
                                QStringLiteral("warning")});
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
        m_process.start();
        if (!m_process.waitForStarted(10000))
            die(QStringLiteral("cannot start %1").arg(program));
        QElapsedTimer t;
        t.start();
        while (!m_process.canReadLine()) {
            const int left = 30000 - int(t.elapsed());
            if (left <= 0 || !m_process.waitForReadyRead(left))
                die(QStringLiteral("%1 printed no URL line").arg(program));
        }
        return QString::fromUtf8(m_process.readLine().trimmed());
    }

private:
    QProcess m_process;
    QTemporaryDir m_dir;
};

struct Options
{
    QString url;
    int payloadBytes = 100;
    int window = 1000;
    qint64 messages = 100000;
    qint64 warmup = 5000;
    QString topic;
    QString label;
};

Pulsar::TopicName topicNamed(const QString &name)
{
    const auto topic = Pulsar::TopicName::parse(QStringLiteral("persistent://public/default/") + name);
    if (!topic)
        die(QStringLiteral("bad topic %1: %2").arg(name, topic.error().message));
    return *topic;
}

Pulsar::ConnectionProfile profileFor(const QString &url)
{
    Pulsar::ConnectionProfile profile;
    profile.name = QStringLiteral("bench");
    profile.serviceUrl = QUrl(url);
    return profile;
}

bool waitConnected(Pulsar::WebSocketChannel *channel, const char *what)
{
    const bool ok = waitUntil(
        [channel] {
            const auto state = channel->state();
            return state == Pulsar::ChannelState::Connected || state == Pulsar::ChannelState::Failed;
        },
        60000);
    if (!ok || channel->state() != Pulsar::ChannelState::Connected) {
        std::fprintf(stderr, "pdesk_client_bench: %s did not connect: %s\n", what,
                     qPrintable(channel->status().error.text() + QStringLiteral(" ") + channel->status().error.detail));
        return false;
    }
    return true;
}

struct Figures
{
    qint64 messages = 0;
    double seconds = 0;
    Percentiles latency;
};

// Publishes `count` messages with at most `window` unacked; returns the time from the first send to the last
// ack and the send-to-ack latency of every message.
std::optional<Figures> produce(const Options &options, const QString &topic, qint64 count, bool timed)
{
    Pulsar::ProducerSettings settings;
    settings.maxInFlight = options.window;
    Pulsar::ProducerSession producer(profileFor(options.url), topicNamed(topic), settings);
    producer.open();
    if (!waitConnected(producer.channel(), "producer"))
        return std::nullopt;

    QByteArray payload(options.payloadBytes, 'x');
    std::vector<qint64> sentAt(size_t(count), 0);
    std::vector<qint64> latency;
    latency.reserve(size_t(count));
    qint64 sent = 0;
    qint64 acked = 0;
    qint64 failed = 0;
    qint64 lastAck = 0;
    const auto pump = [&] {
        while (sent < count && sent - acked < options.window) {
            Pulsar::OutgoingMessage message;
            message.payload = payload;
            message.context = QString::number(sent);
            sentAt[size_t(sent)] = nowNs();
            const Pulsar::SendTicket ticket = producer.send(message);
            if (!ticket.accepted()) {
                std::fprintf(stderr, "pdesk_client_bench: send refused: %s\n", qPrintable(ticket.refused->text()));
                ++failed;
                return;
            }
            ++sent;
        }
    };
    QObject::connect(
        &producer, &Pulsar::ProducerSession::sendFinished, &producer, [&](const Pulsar::SendResult &result) {
            const qint64 at = nowNs();
            ++acked;
            lastAck = at;
            if (!result.ok) {
                if (++failed <= 3)
                    std::fprintf(stderr, "pdesk_client_bench: send failed: %s\n", qPrintable(result.errorMsg));
                return;
            }
            bool ok = false;
            const qint64 seq = result.context.toLongLong(&ok);
            if (ok && seq >= 0 && seq < count)
                latency.push_back(at - sentAt[size_t(seq)]);
            pump();
        });

    if (timed)
        instrumentationOn();
    const qint64 t0 = nowNs();
    pump();
    const bool done = waitUntil([&] { return acked == count || failed > 0; }, 600000);
    if (timed)
        instrumentationOff("produce");
    if (!done || failed > 0) {
        std::fprintf(stderr, "pdesk_client_bench: produce incomplete: %lld of %lld acked, %lld failed\n",
                     static_cast<long long>(acked), static_cast<long long>(count), static_cast<long long>(failed));
        return std::nullopt;
    }
    producer.close();
    Figures f;
    f.messages = count;
    f.seconds = double(lastAck - t0) / 1e9;
    f.latency = percentiles(std::move(latency));
    return f;
}

// Consumes `count` messages from Earliest on a fresh subscription, acking each as it is delivered. Timed from
// the established subscription to the last message received and acked.
std::optional<Figures> consume(const Options &options, const QString &topic, qint64 count, bool timed)
{
    Pulsar::ConsumerSettings settings;
    settings.options.subscriptionInitialPosition = Pulsar::InitialPosition::Earliest;
    // Deliver each event-loop pass's messages at once rather than holding them up to 50 ms (the GUI default):
    // the server pushes at most receiverQueueSize (1000) unacked messages, so waiting costs throughput here.
    settings.delivery.maxBatchDelayMs = 0;
    const QString subscription = QStringLiteral("bench-") + QString::number(QRandomGenerator::global()->generate(), 36);
    Pulsar::ConsumerSession consumer(profileFor(options.url),
                                     Pulsar::Endpoint::consumer(topicNamed(topic), subscription), settings);
    qint64 received = 0;
    qint64 lastAt = 0;
    QObject::connect(&consumer, &Pulsar::ConsumerSession::messagesReceived, &consumer,
                     [&](const QList<Pulsar::ReceivedMessage> &messages) {
                         for (const Pulsar::ReceivedMessage &message : messages)
                             consumer.ack(message.message.messageId);
                         received += messages.size();
                         lastAt = nowNs();
                     });
    if (timed)
        instrumentationOn();
    consumer.open();
    if (!waitConnected(consumer.channel(), "consumer")) {
        if (timed)
            instrumentationOff("consume");
        return std::nullopt;
    }
    const qint64 t0 = nowNs();
    const bool done = waitUntil([&] { return received >= count; }, 600000);
    if (timed)
        instrumentationOff("consume");
    if (!done) {
        std::fprintf(stderr, "pdesk_client_bench: consume incomplete: %lld of %lld\n", static_cast<long long>(received),
                     static_cast<long long>(count));
        return std::nullopt;
    }
    // The last acks are written before the connection closes.
    waitUntil([&] { return consumer.channel()->isWritable(); }, 5000);
    consumer.close();
    Figures f;
    f.messages = received;
    f.seconds = double(lastAt - t0) / 1e9;
    return f;
}

void result(const Options &options, const char *phase, const Figures &f)
{
    out(QStringLiteral("RESULT client=pdesk%1 phase=%2 messages=%3 seconds=%4 rate=%5 p50_ms=%6 p99_ms=%7 max_ms=%8")
            .arg(options.label.isEmpty() ? QString() : QStringLiteral(" label=") + options.label, QLatin1String(phase))
            .arg(f.messages)
            .arg(f.seconds, 0, 'f', 4)
            .arg(double(f.messages) / f.seconds, 0, 'f', 0)
            .arg(f.latency.p50Ms, 0, 'f', 3)
            .arg(f.latency.p99Ms, 0, 'f', 3)
            .arg(f.latency.maxMs, 0, 'f', 3));
}

} // namespace

int main(int argc, char *argv[])
{
    g_clock.start();
    QCoreApplication app(argc, argv);
    // One line per connect would interleave with the RESULT lines; warnings still show.
    QLoggingCategory::setFilterRules(QStringLiteral("pulsar.client.*.info=false\npulsar.client.*.debug=false"));
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Produce and consume throughput of the client library against a Pulsar WebSocket service."));
    parser.addHelpOption();
    const QCommandLineOption urlOption(QStringLiteral("url"),
                                       QStringLiteral("Service URL; without it a proxy child process is started."),
                                       QStringLiteral("ws-url"));
    const QCommandLineOption proxyOption(QStringLiteral("proxy"), QStringLiteral("Path of pulsar-desk-proxy."),
                                         QStringLiteral("path"), QStringLiteral(PDESK_PROXY_BINARY));
    const QCommandLineOption syncOption(QStringLiteral("sync"), QStringLiteral("--sync of the child proxy."),
                                        QStringLiteral("mode"), QStringLiteral("none"));
    const QCommandLineOption messagesOption(QStringLiteral("messages"),
                                            QStringLiteral("Messages per phase (default 100000)."), QStringLiteral("n"),
                                            QStringLiteral("100000"));
    const QCommandLineOption payloadOption(QStringLiteral("payload"), QStringLiteral("Payload bytes (default 100)."),
                                           QStringLiteral("bytes"), QStringLiteral("100"));
    const QCommandLineOption windowOption(QStringLiteral("window"), QStringLiteral("Sends in flight (default 1000)."),
                                          QStringLiteral("n"), QStringLiteral("1000"));
    const QCommandLineOption warmupOption(
        QStringLiteral("warmup"),
        QStringLiteral("Untimed messages produced and consumed first on another topic (default 5000)."),
        QStringLiteral("n"), QStringLiteral("5000"));
    const QCommandLineOption topicOption(QStringLiteral("topic"),
                                         QStringLiteral("Topic local name (default: a fresh random one)."),
                                         QStringLiteral("name"));
    const QCommandLineOption labelOption(QStringLiteral("label"), QStringLiteral("Added to the RESULT lines."),
                                         QStringLiteral("text"));
    parser.addOptions({urlOption, proxyOption, syncOption, messagesOption, payloadOption, windowOption, warmupOption,
                       topicOption, labelOption});
    parser.process(app);

    Options options;
    options.messages = parser.value(messagesOption).toLongLong();
    options.payloadBytes = parser.value(payloadOption).toInt();
    options.window = parser.value(windowOption).toInt();
    options.warmup = parser.value(warmupOption).toLongLong();
    options.label = parser.value(labelOption);
    options.topic = parser.isSet(topicOption)
                        ? parser.value(topicOption)
                        : QStringLiteral("client-bench-") + QString::number(QRandomGenerator::global()->generate(), 36);
    if (options.messages < 1 || options.payloadBytes < 1 || options.window < 1 || options.window > 1000 ||
        options.warmup < 0)
        die(QStringLiteral("--messages, --payload >= 1, --window 1..1000, --warmup >= 0"));

    ProxyProcess proxy;
    options.url = parser.value(urlOption);
    if (options.url.isEmpty()) {
        const QString program = parser.value(proxyOption);
        if (program.isEmpty() || !QFile::exists(program))
            die(QStringLiteral("pulsar-desk-proxy not found: pass --proxy PATH or --url"));
        options.url = proxy.start(program, parser.value(syncOption));
    }
    std::fprintf(stderr, "pdesk_client_bench: %s, topic %s, %lld messages of %d B, window %d (%s)\n",
                 qPrintable(options.url), qPrintable(options.topic), static_cast<long long>(options.messages),
                 options.payloadBytes, options.window,
                 qPrintable(QDateTime::currentDateTimeUtc().toString(Qt::ISODate)));

    if (options.warmup > 0) {
        const QString warm = options.topic + QStringLiteral("-warmup");
        if (!produce(options, warm, options.warmup, false) || !consume(options, warm, options.warmup, false))
            die(QStringLiteral("warm-up failed"));
    }
    const auto produced = produce(options, options.topic, options.messages, true);
    if (!produced)
        die(QStringLiteral("produce failed"));
    result(options, "produce", *produced);
    const auto consumed = consume(options, options.topic, options.messages, true);
    if (!consumed)
        die(QStringLiteral("consume failed"));
    result(options, "consume", *consumed);
    return 0;
}
