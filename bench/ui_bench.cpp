// The live message table under load, measured through the real consumer path: a pulsar-desk-proxy child process
// (--sync none), a producer over a raw QWebSocket in its own thread, and the real ConsumerPanel (ConsumerSession,
// MessageTableModel, QTableView) shown in a window of this QApplication (offscreen unless a display is set).
// Auto-ack is on, as a user watching a busy topic would have it.
//
// While messages flow, a 1 ms PreciseTimer on the GUI thread records the gap between its ticks: the longest gap
// is the longest time the window could not react. Reported per run: messages sent (acked by the proxy), received
// by the panel, rows shown, achieved send and receive rates, the GUI-thread gaps (max, p99, p50) and peak RSS
// (VmHWM) of this process and of the proxy, and this process's RSS at the end of the run while the table still holds
// its rows. Two runs: first the cap below the total (rows must equal the cap), then the cap above it (rows must equal
// sent). The capped run goes first so that its VmHWM is its own peak, not the uncapped run's: the two peaks side by
// side show how much memory the cap bounds. A third run, "session only", receives through a bare ConsumerSession
// with the panel's settings and no model or view: the rate this machine's proxy, producer and consumer session reach
// together, against which the panel's receive rate is measured.
//
//   pdesk_ui_bench [--rate N] [--seconds S] [--cap N] [--payload-bytes N] [--quick] [--proxy PATH]
#include "models/eventlog.h"
#include "models/messagetablemodel.h"
#include "widgets/consumerpanel.h"
#include "widgets/messagestreamview.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QLineEdit>
#include <QMetaEnum>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>
#include <QWebSocket>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <functional>
#include <memory>
#include <vector>

#include <sys/prctl.h>
#include <sys/resource.h>

#ifndef PDESK_PROXY_BINARY
#define PDESK_PROXY_BINARY ""
#endif

namespace {

qint64 statusKb(const QString &path, const char *field)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray prefix = QByteArray(field) + ':';
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

// CPU seconds of the calling thread (the GUI thread, where it is called).
double threadCpuSeconds()
{
    rusage usage{};
    ::getrusage(RUSAGE_THREAD, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// Times every event the GUI thread handles: the longest one is work of this process (a flush, a paint), whereas
// a heartbeat gap can also be the scheduler giving the core to the proxy.
class TimedApplication final : public QApplication
{
public:
    using QApplication::QApplication;
    bool notify(QObject *receiver, QEvent *event) override
    {
        if (m_depth++ > 0 || !m_measuring) {
            const bool handled = QApplication::notify(receiver, event);
            --m_depth;
            return handled;
        }
        QElapsedTimer timer;
        timer.start();
        const bool handled = QApplication::notify(receiver, event);
        const qint64 us = timer.nsecsElapsed() / 1000;
        if (us > m_longestUs) {
            m_longestUs = us;
            m_longestType = int(event->type());
        }
        --m_depth;
        return handled;
    }
    void startMeasuring()
    {
        m_longestUs = 0;
        m_longestType = 0;
        m_measuring = true;
    }
    void stopMeasuring() { m_measuring = false; }
    double longestMs() const { return double(m_longestUs) / 1000.0; }
    int longestType() const { return m_longestType; }

private:
    int m_depth = 0;
    bool m_measuring = false;
    qint64 m_longestUs = 0;
    int m_longestType = 0;
};

// Runs the event loop until done() or the timeout; the GUI thread keeps running everything meanwhile.
template<typename Done>
bool spinUntil(Done done, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > timeoutMs)
            return false;
        QEventLoop loop;
        QTimer::singleShot(20, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return true;
}

// Publishes `total` messages at `rate` msg/s over one raw WebSocket, from its own thread. Sends are paced by a
// 1 ms timer, pipelined (up to kWindow unacked) and stopped above a 1 MiB socket buffer.
class Producer final : public QObject
{
public:
    static constexpr qint64 kWindow = 1000; // the proxy refuses more than 1000 pending per producer, as Pulsar does
    static constexpr qint64 kHighWater = 1024 * 1024;

    Producer(const QUrl &url, qint64 total, qint64 rate, int payloadBytes)
        : m_url(url)
        , m_total(total)
        , m_rate(rate)
    {
        QByteArray payload(payloadBytes, 'x');
        for (int i = 0; i < payloadBytes; ++i)
            payload[i] = char('a' + i % 26);
        m_frame = QStringLiteral("{\"payload\":\"") + QString::fromLatin1(payload.toBase64()) + QStringLiteral("\"}");
    }

    void start()
    {
        m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
        m_timer = new QTimer(this);
        m_timer->setTimerType(Qt::PreciseTimer);
        m_timer->setInterval(1);
        connect(m_timer, &QTimer::timeout, this, [this] { pump(); });
        connect(m_socket, &QWebSocket::connected, this, [this] {
            m_clock.start();
            startMs.store(QDateTime::currentMSecsSinceEpoch());
            m_timer->start();
        });
        connect(m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
            if (text.contains(QLatin1String("\"ok\"")))
                acked.fetch_add(1);
            else if (failed.fetch_add(1) == 0)
                std::fprintf(stderr, "pdesk_ui_bench: first failed send: %s\n", qPrintable(text.left(300)));
            if (acked.load() + failed.load() >= m_total) {
                endMs.store(QDateTime::currentMSecsSinceEpoch());
                finished.store(true);
            }
        });
        connect(m_socket, &QWebSocket::bytesWritten, this, [this] { pump(); });
        m_socket->open(m_url);
    }
    void stop()
    {
        if (m_timer)
            m_timer->stop();
        if (m_socket)
            m_socket->abort();
    }

    std::atomic<qint64> sent{0};
    std::atomic<qint64> acked{0};
    std::atomic<qint64> failed{0};
    std::atomic<qint64> startMs{0}; // epoch ms
    std::atomic<qint64> endMs{0};
    std::atomic<bool> finished{false};

private:
    void pump()
    {
        if (!m_clock.isValid())
            return;
        const qint64 target = std::min(m_total, m_rate * m_clock.nsecsElapsed() / 1000000000);
        qint64 s = sent.load();
        while (s < target && s - acked.load() - failed.load() < kWindow && m_socket->bytesToWrite() < kHighWater) {
            m_socket->sendTextMessage(m_frame);
            ++s;
        }
        sent.store(s);
        if (s >= m_total)
            m_timer->stop();
    }

    QUrl m_url;
    qint64 m_total;
    qint64 m_rate;
    QString m_frame;
    QWebSocket *m_socket = nullptr;
    QTimer *m_timer = nullptr;
    QElapsedTimer m_clock;
};

struct RunResult
{
    QString name;
    int cap = 0;
    qint64 sent = 0;
    qint64 received = 0;
    int rows = 0;
    double sendRate = 0;
    double receiveRate = 0;
    double maxGapMs = 0;
    double p99GapMs = 0;
    double p50GapMs = 0;
    double longestEventMs = 0;
    int longestEventType = 0;
    double guiCpu = 0; // GUI-thread CPU seconds per wall second while messages flowed
    qint64 hwmKb = 0;
    qint64 rssKb = 0; // at the end of the run, rows still held
    qint64 proxyHwmKb = 0;
    bool complete = false;
    bool ok = false;
};

class Bench
{
public:
    Bench(const QUrl &wsBase, qint64 proxyPid, qint64 rate, int seconds, int payloadBytes)
        : m_wsBase(wsBase)
        , m_proxyPid(proxyPid)
        , m_rate(rate)
        , m_seconds(seconds)
        , m_payloadBytes(payloadBytes)
    {}

    enum class Sink
    {
        Panel,
        SessionOnly
    };

    RunResult run(const QString &name, Sink sink, int cap)
    {
        RunResult result;
        result.name = name;
        result.cap = cap;
        const qint64 total = m_rate * m_seconds;
        const QString localName =
            QStringLiteral("ui-bench-") + QString::number(QRandomGenerator::global()->generate64(), 36);
        const Pulsar::TopicName topic =
            *Pulsar::TopicName::parse(QStringLiteral("persistent://public/default/") + localName);
        Pulsar::ConnectionProfile profile;
        profile.name = QStringLiteral("bench");
        profile.serviceUrl = m_wsBase;

        // What receives: the real panel (session, model, view), or, for the baseline, a bare ConsumerSession with
        // the panel's settings (auto-ack, default delivery batching) and nothing after it.
        Gui::EventLog log;
        Gui::ConsumerPanel *panel = nullptr;
        std::unique_ptr<Pulsar::ConsumerSession> session;
        qint64 sessionReceived = 0;
        std::function<qint64()> receivedCount;
        std::function<bool()> drained;
        if (sink == Sink::Panel) {
            panel = new Gui::ConsumerPanel(profile, topic, &log);
            panel->setMaxRows(cap);
            panel->findChild<QLineEdit *>(QStringLiteral("subscriptionEdit"))->setText(QStringLiteral("bench"));
            auto *position = panel->findChild<QComboBox *>(QStringLiteral("initialPositionCombo"));
            position->setCurrentIndex(position->findData(QStringLiteral("Earliest")));
            panel->findChild<QCheckBox *>(QStringLiteral("autoAckCheck"))->setChecked(true);
            panel->resize(1400, 900);
            panel->show();
            panel->connectConsumer();
            receivedCount = [panel] { return panel->streamView()->receivedCount(); };
            drained = [panel] { return panel->model()->queuedCount() == 0; };
        } else {
            Pulsar::ConsumerSettings settings;
            settings.autoAck = true;
            settings.options.subscriptionInitialPosition = Pulsar::InitialPosition::Earliest;
            session = std::make_unique<Pulsar::ConsumerSession>(
                profile, Pulsar::Endpoint::consumer(topic, QStringLiteral("bench")), settings);
            QObject::connect(session.get(), &Pulsar::ConsumerSession::messagesReceived, session.get(),
                             [&sessionReceived](const QList<Pulsar::ReceivedMessage> &messages) {
                                 sessionReceived += messages.size();
                             });
            session->open();
            receivedCount = [&sessionReceived] { return sessionReceived; };
            drained = [] { return true; };
        }
        Pulsar::ConsumerSession *consumer = panel ? panel->session() : session.get();
        if (!spinUntil([&] { return consumer && consumer->channel()->isConnected(); }, 20000)) {
            std::fprintf(stderr, "pdesk_ui_bench: the consumer did not connect\n");
            delete panel;
            return result;
        }

        QThread thread;
        thread.setObjectName(QStringLiteral("producer"));
        Producer producer(QUrl(m_wsBase.toString() + QStringLiteral("/ws/v2/producer/") + topic.restPath()), total,
                          m_rate, m_payloadBytes);
        producer.moveToThread(&thread);
        thread.start();

        // The heartbeat: every gap between 1 ms ticks, in microseconds.
        std::vector<qint64> gaps;
        gaps.reserve(size_t(m_seconds + 60) * 1000);
        QElapsedTimer clock;
        clock.start();
        qint64 last = 0;
        QTimer heartbeat;
        heartbeat.setTimerType(Qt::PreciseTimer);
        heartbeat.setInterval(1);
        QObject::connect(&heartbeat, &QTimer::timeout, &heartbeat, [&] {
            const qint64 now = clock.nsecsElapsed() / 1000;
            gaps.push_back(now - last);
            last = now;
        });
        last = clock.nsecsElapsed() / 1000;
        auto *timedApp = static_cast<TimedApplication *>(QCoreApplication::instance());
        const double cpuStart = threadCpuSeconds();
        timedApp->startMeasuring();
        heartbeat.start();
        QMetaObject::invokeMethod(
            &producer, [&producer] { producer.start(); }, Qt::QueuedConnection);

        qint64 lastReceivedMs = 0;
        qint64 lastCount = -1;
        QElapsedTimer idle;
        idle.start();
        // Done when every acked message was received and shown, or when nothing moved for 15 s.
        result.complete = spinUntil(
            [&] {
                const qint64 received = receivedCount();
                if (received != lastCount) {
                    lastCount = received;
                    lastReceivedMs = QDateTime::currentMSecsSinceEpoch();
                    idle.restart();
                }
                return (producer.finished.load() && received >= producer.acked.load() && drained()) ||
                       idle.elapsed() > 15000;
            },
            (m_seconds + 120) * 1000);
        heartbeat.stop();
        timedApp->stopMeasuring();
        result.longestEventMs = timedApp->longestMs();
        result.longestEventType = timedApp->longestType();
        result.guiCpu = (threadCpuSeconds() - cpuStart) / (double(clock.nsecsElapsed()) / 1e9);
        result.complete = result.complete && producer.finished.load() && receivedCount() >= producer.acked.load();

        QMetaObject::invokeMethod(
            &producer, [&producer] { producer.stop(); }, Qt::BlockingQueuedConnection);
        thread.quit();
        thread.wait();

        result.sent = producer.acked.load();
        result.received = receivedCount();
        if (panel) {
            panel->model()->flush();
            result.rows = panel->model()->rowCount();
        }
        const qint64 start = producer.startMs.load();
        const qint64 sendEnd = producer.endMs.load();
        if (sendEnd > start)
            result.sendRate = double(result.sent) * 1000.0 / double(sendEnd - start);
        if (lastReceivedMs > start)
            result.receiveRate = double(result.received) * 1000.0 / double(lastReceivedMs - start);
        if (!gaps.empty()) {
            std::sort(gaps.begin(), gaps.end());
            result.maxGapMs = double(gaps.back()) / 1000.0;
            result.p99GapMs = double(gaps[gaps.size() * 99 / 100]) / 1000.0;
            result.p50GapMs = double(gaps[gaps.size() / 2]) / 1000.0;
        }
        result.hwmKb = statusKb(QStringLiteral("/proc/self/status"), "VmHWM");
        result.rssKb = statusKb(QStringLiteral("/proc/self/status"), "VmRSS");
        result.proxyHwmKb = statusKb(QStringLiteral("/proc/%1/status").arg(m_proxyPid), "VmHWM");
        const int expectedRows = panel ? int(std::min<qint64>(result.sent, cap)) : 0;
        result.ok = result.complete && result.received == result.sent && result.rows == expectedRows &&
                    producer.failed.load() == 0;
        if (producer.failed.load() > 0)
            std::fprintf(stderr, "pdesk_ui_bench: %lld sends failed\n", static_cast<long long>(producer.failed.load()));

        if (panel)
            panel->shutdown();
        delete panel;
        session.reset();
        QCoreApplication::processEvents();
        return result;
    }

private:
    QUrl m_wsBase;
    qint64 m_proxyPid;
    qint64 m_rate;
    int m_seconds;
    int m_payloadBytes;
};

// The bench's table is its output: session logs and the offscreen plugin's notes would bury it.
void quietMessages(QtMsgType type, const QMessageLogContext &, const QString &message)
{
    if (type == QtDebugMsg || type == QtInfoMsg || message.contains(QLatin1String("propagateSizeHints")))
        return;
    std::fprintf(stderr, "%s\n", qPrintable(message));
}

QString thousands(qint64 n)
{
    return QLocale(QLocale::English).toString(n);
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    TimedApplication app(argc, argv);
    qInstallMessageHandler(quietMessages);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("GUI-thread stalls and counts of the live message table under load"));
    parser.addHelpOption();
    const QCommandLineOption rateOption(QStringLiteral("rate"), QStringLiteral("Messages per second (100000)."),
                                        QStringLiteral("n"), QStringLiteral("100000"));
    const QCommandLineOption secondsOption(QStringLiteral("seconds"), QStringLiteral("Seconds of sending (10)."),
                                           QStringLiteral("s"), QStringLiteral("10"));
    const QCommandLineOption capOption(QStringLiteral("cap"), QStringLiteral("Row cap of the second run (100000)."),
                                       QStringLiteral("n"), QStringLiteral("100000"));
    const QCommandLineOption payloadOption(QStringLiteral("payload-bytes"), QStringLiteral("Payload size (100)."),
                                           QStringLiteral("n"), QStringLiteral("100"));
    const QCommandLineOption quickOption(QStringLiteral("quick"), QStringLiteral("20000 msg/s for 2 s, cap 10000."));
    const QCommandLineOption proxyOption(QStringLiteral("proxy"), QStringLiteral("pulsar-desk-proxy binary."),
                                         QStringLiteral("path"), QStringLiteral(PDESK_PROXY_BINARY));
    parser.addOptions({rateOption, secondsOption, capOption, payloadOption, quickOption, proxyOption});
    parser.process(app);

    const bool quick = parser.isSet(quickOption);
    const qint64 rate = parser.isSet(rateOption) || !quick ? parser.value(rateOption).toLongLong() : 20000;
    const int seconds = parser.isSet(secondsOption) || !quick ? parser.value(secondsOption).toInt() : 2;
    const int cap = parser.isSet(capOption) || !quick ? parser.value(capOption).toInt() : 10000;
    const int payloadBytes = parser.value(payloadOption).toInt();
    if (rate <= 0 || seconds <= 0 || cap <= 0 || payloadBytes < 0) {
        std::fprintf(stderr, "pdesk_ui_bench: --rate, --seconds and --cap must be positive\n");
        return 2;
    }

    QTemporaryDir dataDir;
    QProcess proxy;
    proxy.setProgram(parser.value(proxyOption));
    proxy.setArguments({QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--data-dir"), dataDir.path(),
                        QStringLiteral("--sync"), QStringLiteral("none"), QStringLiteral("--log-level"),
                        QStringLiteral("warning")});
    proxy.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    proxy.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
    proxy.start();
    // Set-up, before anything is measured: blocking here stalls no one.
    if (!proxy.waitForStarted(10000)) {
        std::fprintf(stderr, "pdesk_ui_bench: cannot start %s\n", qPrintable(proxy.program()));
        return 1;
    }
    while (!proxy.canReadLine()) {
        if (!proxy.waitForReadyRead(10000)) {
            std::fprintf(stderr, "pdesk_ui_bench: the proxy printed no URL\n");
            return 1;
        }
    }
    const QUrl wsBase(QString::fromUtf8(proxy.readLine().trimmed()));

    const qint64 total = rate * seconds;
    std::printf("pdesk_ui_bench: %s msg/s asked for %d s (%s messages of %d B), pulsar-desk-proxy --sync none, "
                "QT_QPA_PLATFORM=%s, %d CPUs\n",
                qPrintable(thousands(rate)), seconds, qPrintable(thousands(total)), payloadBytes,
                qPrintable(QGuiApplication::platformName()), QThread::idealThreadCount());
    std::fflush(stdout);

    Bench bench(wsBase, proxy.processId(), rate, seconds, payloadBytes);
    QList<RunResult> results;
    const qint64 baselineRssKb = statusKb(QStringLiteral("/proc/self/status"), "VmRSS");
    const int below = cap < total ? cap : int(std::max<qint64>(1, total / 4));
    results.append(bench.run(QStringLiteral("cap below total"), Bench::Sink::Panel, below));
    results.append(
        bench.run(QStringLiteral("cap above total"), Bench::Sink::Panel, int(std::min<qint64>(total + 1000, INT_MAX))));
    results.append(bench.run(QStringLiteral("session only"), Bench::Sink::SessionOnly, 0));

    std::printf("\n%-16s %9s %9s %9s %9s %11s %11s %8s %8s %8s %9s %9s %9s  %s\n", "run", "cap", "sent", "received",
                "rows", "send msg/s", "recv msg/s", "max gap", "p99 gap", "p50 gap", "VmHWM", "VmRSS", "proxy HWM",
                "check");
    bool allOk = true;
    for (const RunResult &r : results) {
        allOk = allOk && r.ok;
        const QString check = !r.complete ? QStringLiteral("INCOMPLETE")
                              : r.ok      ? (r.cap == 0        ? QStringLiteral("received == sent")
                                             : r.cap >= r.sent ? QStringLiteral("rows == sent")
                                                               : QStringLiteral("rows == cap"))
                                          : QStringLiteral("MISMATCH");
        std::printf("%-16s %9s %9s %9s %9s %11s %11s %6.1fms %6.1fms %6.1fms %6lldMB %6lldMB %6lldMB  %s\n",
                    qPrintable(r.name), qPrintable(thousands(r.cap)), qPrintable(thousands(r.sent)),
                    qPrintable(thousands(r.received)), qPrintable(thousands(r.rows)),
                    qPrintable(thousands(qRound64(r.sendRate))), qPrintable(thousands(qRound64(r.receiveRate))),
                    r.maxGapMs, r.p99GapMs, r.p50GapMs, static_cast<long long>(r.hwmKb / 1024),
                    static_cast<long long>(r.rssKb / 1024), static_cast<long long>(r.proxyHwmKb / 1024),
                    qPrintable(check));
    }
    std::printf("\n%-16s %14s %18s\n", "run", "GUI-thread CPU", "longest event");
    for (const RunResult &r : results)
        std::printf("%-16s %13.0f%% %10.1fms (%s)\n", qPrintable(r.name), r.guiCpu * 100.0, r.longestEventMs,
                    QMetaEnum::fromType<QEvent::Type>().valueToKey(r.longestEventType));
    std::printf(
        "\ngaps: between ticks of a 1 ms PreciseTimer on the GUI thread while messages flowed (1.0 ms = no "
        "stall). VmHWM: this process's peak RSS so far (cumulative: the "
        "capped run is first); VmRSS: at the end of the run with the rows still held; baseline VmRSS before the runs: "
        "%lld MB.\nGUI-thread CPU: its CPU time over the "
        "run's wall time; longest event: the longest single event the GUI thread handled (its own work, unlike a gap, "
        "which also counts time the scheduler gave the core to the proxy or the producer).\n",
        static_cast<long long>(baselineRssKb / 1024));
    std::fflush(stdout);

    proxy.terminate();
    if (!proxy.waitForFinished(15000))
        proxy.kill();
    return allOk ? 0 : 1;
}
