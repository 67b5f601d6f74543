// The pulsar-desk-proxy program as a user runs it: its options and first line, where it binds, a graceful stop
// on SIGTERM/SIGINT, recovery after kill -9, and the Python and Node.js examples written for Pulsar's WebSocket
// API (examples/) run against it as child processes. The proxy is a separate process here, so blocking on it is
// harmless; the WebSocket clients live in this thread and every wait spins the event loop.
#include "protocol/messageid.h"

#include <QFileInfo>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QWebSocket>
#include <QtTest>

#include <csignal>
#include <memory>
#include <sys/types.h>

namespace {

// Generous: the same suite runs under ASan, where the proxy starts and writes several times slower.
constexpr int kWaitMs = 30000;

QString proxyBinary()
{
    return QStringLiteral(PDESK_PROXY_BINARY);
}

QString examplesDir()
{
    return QStringLiteral(PDESK_EXAMPLES_DIR);
}

QJsonObject parseObject(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

QString compactJson(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

// One run of the real program at a time over one data directory; start() again restarts it on the same data.
class ProxyProcess
{
public:
    explicit ProxyProcess(const QString &dataDir)
        : m_dataDir(dataDir)
    {
        m_process.setProgram(proxyBinary());
        QObject::connect(&m_process, &QProcess::readyReadStandardError, &m_process,
                         [this] { m_stderr += m_process.readAllStandardError(); });
    }
    ~ProxyProcess()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }
    ProxyProcess(const ProxyProcess &) = delete;
    ProxyProcess &operator=(const ProxyProcess &) = delete;

    // --port 0 on the data directory plus `extra`; true once the first stdout line, the URL, has arrived.
    bool start(const QStringList &extra = {})
    {
        m_stderr.clear();
        m_url.clear();
        m_process.setArguments(
            QStringList{QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--data-dir"), m_dataDir} +
            extra);
        m_process.start();
        if (!m_process.waitForStarted(kWaitMs))
            return false;
        const bool lineOrExit = QTest::qWaitFor(
            [this] { return m_process.canReadLine() || m_process.state() == QProcess::NotRunning; }, kWaitMs);
        if (!lineOrExit || !m_process.canReadLine()) {
            qWarning("pulsar-desk-proxy printed no URL; stderr: %s", m_stderr.constData());
            return false;
        }
        m_url = QString::fromUtf8(m_process.readLine()).trimmed();
        return true;
    }

    bool waitFinished(int ms = kWaitMs)
    {
        return QTest::qWaitFor([this] { return m_process.state() == QProcess::NotRunning; }, ms);
    }
    void signal(int signalNumber) { ::kill(pid_t(m_process.processId()), signalNumber); }

    QString url() const { return m_url; }
    QUrl endpoint(const QString &pathAndQuery) const { return QUrl(m_url + pathAndQuery); }
    QProcess &process() { return m_process; }
    QByteArray stderrText() const { return m_stderr; }

private:
    QString m_dataDir;
    QProcess m_process;
    QString m_url;
    QByteArray m_stderr;
};

QString v2(const QString &kind, const QString &topic, const QString &tail = QString())
{
    return QStringLiteral("/ws/v2/") + kind + QStringLiteral("/persistent/public/default/") + topic + tail;
}

// A WebSocket client in this thread that records every text frame; optionally acks each message it receives, as
// a reader must to keep its push window open.
class Client
{
public:
    explicit Client(const QUrl &url, bool autoAck = false)
    {
        QObject::connect(&m_socket, &QWebSocket::textMessageReceived, &m_socket, [this, autoAck](const QString &text) {
            const QJsonObject frame = parseObject(text.toUtf8());
            m_frames.append(frame);
            if (autoAck && frame.contains(QLatin1String("messageId")))
                send(QJsonObject{{QStringLiteral("messageId"), frame.value(QLatin1String("messageId"))}});
        });
        m_socket.open(url);
    }

    bool waitConnected()
    {
        return QTest::qWaitFor([this] { return m_socket.state() == QAbstractSocket::ConnectedState; }, kWaitMs);
    }
    void send(const QJsonObject &object) { m_socket.sendTextMessage(compactJson(object)); }

    QWebSocket &socket() { return m_socket; }
    const QList<QJsonObject> &frames() const { return m_frames; }
    QList<QJsonObject> messages() const
    {
        QList<QJsonObject> result;
        for (const QJsonObject &frame : m_frames) {
            if (frame.contains(QLatin1String("messageId")) && frame.contains(QLatin1String("payload")))
                result.append(frame);
        }
        return result;
    }

private:
    QWebSocket m_socket;
    QList<QJsonObject> m_frames;
};

QJsonObject sendFrame(const QByteArray &payload, const QString &context, const QJsonObject &properties = {})
{
    QJsonObject frame{{QStringLiteral("payload"), QString::fromLatin1(payload.toBase64())},
                      {QStringLiteral("context"), context}};
    if (!properties.isEmpty())
        frame.insert(QStringLiteral("properties"), properties);
    return frame;
}

QByteArray payloadOf(const QJsonObject &message)
{
    return QByteArray::fromBase64(message.value(QLatin1String("payload")).toString().toLatin1());
}

QString idOf(const QJsonObject &frame)
{
    return frame.value(QLatin1String("messageId")).toString();
}

// Sizes vary so that a torn tail at any offset is possible; the content is recomputable from the sequence number.
QByteArray killPayload(int seq)
{
    return "kill9-" + QByteArray::number(seq) + '-' + QByteArray(60 + seq % 97, char('a' + seq % 26));
}

// An example program (examples/python or examples/node) run as a child process.
class ExampleRun
{
public:
    ExampleRun(const QString &program, const QStringList &arguments)
    {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        // Only the arguments given here may steer the examples.
        for (const QString &name : environment.keys()) {
            if (name.startsWith(QLatin1String("PULSAR_")))
                environment.remove(name);
        }
        m_process.setProcessEnvironment(environment);
        QObject::connect(&m_process, &QProcess::readyReadStandardError, &m_process,
                         [this] { m_stderr += m_process.readAllStandardError(); });
        QObject::connect(&m_process, &QProcess::readyReadStandardOutput, &m_process,
                         [this] { m_stdout += m_process.readAllStandardOutput(); });
        m_process.start(program, arguments);
    }
    ~ExampleRun()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }
    ExampleRun(const ExampleRun &) = delete;
    ExampleRun &operator=(const ExampleRun &) = delete;

    bool waitForStderr(const QByteArray &text)
    {
        return QTest::qWaitFor([&] { return m_stderr.contains(text) || m_process.state() == QProcess::NotRunning; },
                               kWaitMs) &&
               m_stderr.contains(text);
    }
    // True when the program ran to its end and exited 0.
    bool succeeded()
    {
        return QTest::qWaitFor([this] { return m_process.state() == QProcess::NotRunning; }, kWaitMs) &&
               m_process.exitStatus() == QProcess::NormalExit && m_process.exitCode() == 0;
    }
    // One JSON object per stdout line: the examples' machine-checkable output.
    QList<QJsonObject> lines() const
    {
        QList<QJsonObject> result;
        for (const QByteArray &line : m_stdout.split('\n')) {
            if (!line.trimmed().isEmpty())
                result.append(parseObject(line));
        }
        return result;
    }
    QByteArray report() const { return "stdout:\n" + m_stdout + "\nstderr:\n" + m_stderr; }

private:
    QProcess m_process;
    QByteArray m_stdout;
    QByteArray m_stderr;
};

} // namespace

class TestProxyProcess final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void versionOption();
    void helpListsEveryOption();
    void badOptionsFail_data();
    void badOptionsFail();
    void bindsToLoopbackByDefault();
    void signalStopsGracefully_data();
    void signalStopsGracefully();
    void interruptedStreamKeepsEveryAckedMessage_data();
    void interruptedStreamKeepsEveryAckedMessage();
    void examplesRoundTrip_data();
    void examplesRoundTrip();

private:
    QString m_python; // an interpreter that has websocket-client, or empty
    QString m_pythonMissing;
    QString m_node; // a node that can load examples/node's ws, or empty
    QString m_nodeMissing;
};

void TestProxyProcess::initTestCase()
{
    QVERIFY2(QFileInfo(proxyBinary()).isExecutable(), qPrintable(proxyBinary()));

    // Debian's python3-websocket belongs to /usr/bin/python3; a pyenv python3 earlier on PATH may lack it.
    QStringList pythons{QStringLiteral("/usr/bin/python3")};
    const QString onPath = QStandardPaths::findExecutable(QStringLiteral("python3"));
    if (!onPath.isEmpty())
        pythons.append(onPath);
    m_pythonMissing = QStringLiteral("no python3 found");
    for (const QString &python : pythons) {
        if (!QFileInfo(python).isExecutable())
            continue;
        QProcess probe;
        probe.start(python, {QStringLiteral("-c"), QStringLiteral("import websocket")});
        if (probe.waitForFinished(kWaitMs) && probe.exitStatus() == QProcess::NormalExit && probe.exitCode() == 0) {
            m_python = python;
            break;
        }
        m_pythonMissing =
            python + QStringLiteral(" cannot import websocket (python3-websocket; scripts/install-deps.sh)");
    }

    const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
    if (node.isEmpty()) {
        m_nodeMissing = QStringLiteral("no node on PATH (scripts/install-deps.sh installs it)");
    } else {
        QProcess probe;
        probe.setWorkingDirectory(examplesDir() + QStringLiteral("/node"));
        probe.start(node, {QStringLiteral("-e"), QStringLiteral("require('ws')")});
        if (probe.waitForFinished(kWaitMs) && probe.exitStatus() == QProcess::NormalExit && probe.exitCode() == 0)
            m_node = node;
        else
            m_nodeMissing = QStringLiteral("ws is not installed in examples/node (npm ci --prefix examples/node, done "
                                           "by scripts/install-deps.sh)");
    }
}

void TestProxyProcess::versionOption()
{
    QProcess process;
    process.start(proxyBinary(), {QStringLiteral("--version")});
    QVERIFY(process.waitForFinished(kWaitMs));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 0);
    QCOMPARE(QString::fromUtf8(process.readAllStandardOutput()).trimmed(),
             QStringLiteral("pulsar-desk-proxy " PDESK_VERSION));
}

void TestProxyProcess::helpListsEveryOption()
{
    QProcess process;
    process.start(proxyBinary(), {QStringLiteral("--help")});
    QVERIFY(process.waitForFinished(kWaitMs));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 0);
    const QString help = QString::fromUtf8(process.readAllStandardOutput());
    // The options of issue 3: its "Program" list, the switches for creating namespaces and topics on first use,
    // and the auth config file and TLS certificate and key.
    const QStringList options =
        QStringLiteral("--host --port --data-dir --cluster-name --sync --max-frame-size --idle-timeout "
                       "--ping-interval --log-level --version --help --no-auto-create-namespaces "
                       "--no-auto-create-topics --auth-config --tls-cert --tls-key")
            .split(QLatin1Char(' '));
    for (const QString &option : options)
        QVERIFY2(help.contains(option), qPrintable(option));
    // The documented defaults.
    for (const char *fact : {"127.0.0.1", "8080", "standalone", "always", "1048576"})
        QVERIFY2(help.contains(QLatin1String(fact)), fact);
}

void TestProxyProcess::badOptionsFail_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QStringList>("stderrMentions");

    QTest::addRow("sync sometimes") << QStringList{QStringLiteral("--sync"), QStringLiteral("sometimes")}
                                    << QStringList{QStringLiteral("--sync"), QStringLiteral("sometimes")};
    QTest::addRow("port 70000") << QStringList{QStringLiteral("--port"), QStringLiteral("70000")}
                                << QStringList{QStringLiteral("--port"), QStringLiteral("70000")};
    QTest::addRow("port not a number") << QStringList{QStringLiteral("--port"), QStringLiteral("http")}
                                       << QStringList{QStringLiteral("--port"), QStringLiteral("http")};
    QTest::addRow("host nonsense") << QStringList{QStringLiteral("--host"), QStringLiteral("nonsense")}
                                   << QStringList{QStringLiteral("--host"), QStringLiteral("nonsense")};
    QTest::addRow("log level loud") << QStringList{QStringLiteral("--log-level"), QStringLiteral("loud")}
                                    << QStringList{QStringLiteral("--log-level")};
    QTest::addRow("frame size too small") << QStringList{QStringLiteral("--max-frame-size"), QStringLiteral("12")}
                                          << QStringList{QStringLiteral("--max-frame-size")};
    QTest::addRow("unknown option") << QStringList{QStringLiteral("--no-such-option")}
                                    << QStringList{QStringLiteral("no-such-option")};
    QTest::addRow("missing value") << QStringList{QStringLiteral("--sync")} << QStringList{QStringLiteral("sync")};
}

void TestProxyProcess::badOptionsFail()
{
    QFETCH(QStringList, arguments);
    QFETCH(QStringList, stderrMentions);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QProcess process;
    // --port 0 first so that a mistake in the parser can never take the default port 8080 from someone.
    process.start(proxyBinary(),
                  QStringList{QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--data-dir"), dir.path()} +
                      arguments);
    if (!process.waitForFinished(10000)) {
        process.kill();
        process.waitForFinished();
        QFAIL("pulsar-desk-proxy kept running with a bad option");
    }
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QVERIFY2(process.exitCode() != 0, "a bad option must give a non-zero exit code");
    const QString err = QString::fromUtf8(process.readAllStandardError());
    for (const QString &mention : stderrMentions)
        QVERIFY2(err.contains(mention),
                 qPrintable(QStringLiteral("stderr lacks \"") + mention + QStringLiteral("\": ") + err));
    QVERIFY2(!process.readAllStandardOutput().contains("ws://"), "a refused start must not print a URL");
}

void TestProxyProcess::bindsToLoopbackByDefault()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    ProxyProcess proxy(dir.path());
    QVERIFY(proxy.start());

    const QRegularExpression urlPattern(QStringLiteral("^ws://127\\.0\\.0\\.1:(\\d+)$"));
    const QRegularExpressionMatch match = urlPattern.match(proxy.url());
    QVERIFY2(match.hasMatch(), qPrintable(proxy.url()));
    const quint16 port = quint16(match.captured(1).toUInt());
    QVERIFY(port > 0);

    // The printed URL works...
    Client producer(proxy.endpoint(v2(QStringLiteral("producer"), QStringLiteral("bind-check"))));
    QVERIFY(producer.waitConnected());
    producer.send(sendFrame("bound", QStringLiteral("1")));
    QTRY_COMPARE_WITH_TIMEOUT(producer.frames().size(), 1, kWaitMs);
    QCOMPARE(producer.frames().first().value(QLatin1String("result")).toString(), QStringLiteral("ok"));

    // ...and another loopback address of this machine (Linux routes all of 127/8 to lo) reaches nothing.
    QTcpSocket other;
    QSignalSpy otherError(&other, &QAbstractSocket::errorOccurred);
    other.connectToHost(QHostAddress(QStringLiteral("127.0.0.2")), port);
    QTRY_VERIFY_WITH_TIMEOUT(otherError.count() > 0 || other.state() == QAbstractSocket::ConnectedState, kWaitMs);
    QCOMPARE(other.state(), QAbstractSocket::UnconnectedState);
    QCOMPARE(other.error(), QAbstractSocket::ConnectionRefusedError);
}

void TestProxyProcess::signalStopsGracefully_data()
{
    QTest::addColumn<int>("signalNumber");
    QTest::addColumn<QString>("sync"); // interval and none leave the flush on the way out to the stop itself

    QTest::addRow("SIGTERM, sync always") << int(SIGTERM) << QStringLiteral("always");
    QTest::addRow("SIGINT, sync interval") << int(SIGINT) << QStringLiteral("interval");
    QTest::addRow("SIGTERM, sync none") << int(SIGTERM) << QStringLiteral("none");
}

void TestProxyProcess::signalStopsGracefully()
{
    QFETCH(int, signalNumber);
    QFETCH(QString, sync);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    ProxyProcess proxy(dir.path());
    QVERIFY(proxy.start({QStringLiteral("--sync"), sync}));

    const QString topic = QStringLiteral("graceful");
    Client consumer(proxy.endpoint(v2(QStringLiteral("consumer"), topic, QStringLiteral("/sub"))));
    QVERIFY(consumer.waitConnected());
    Client producer(proxy.endpoint(v2(QStringLiteral("producer"), topic)));
    QVERIFY(producer.waitConnected());

    constexpr int total = 20;
    for (int i = 1; i <= total; ++i)
        producer.send(sendFrame("graceful-" + QByteArray::number(i), QString::number(i)));
    QTRY_COMPARE_WITH_TIMEOUT(producer.frames().size(), total, kWaitMs);
    QHash<QString, QString> ackedByContext;
    for (const QJsonObject &ack : producer.frames()) {
        QCOMPARE(ack.value(QLatin1String("result")).toString(), QStringLiteral("ok"));
        ackedByContext.insert(ack.value(QLatin1String("context")).toString(), idOf(ack));
    }
    QStringList ackedIds;
    for (int i = 1; i <= total; ++i)
        ackedIds.append(ackedByContext.value(QString::number(i)));
    QTRY_COMPARE_WITH_TIMEOUT(consumer.messages().size(), total, kWaitMs);

    // Ack the first half; the isEndOfTopic answer proves the proxy handled those acks before the signal.
    constexpr int consumed = total / 2;
    for (int i = 0; i < consumed; ++i)
        consumer.send(QJsonObject{{QStringLiteral("messageId"), idOf(consumer.messages().at(i))}});
    consumer.send(QJsonObject{{QStringLiteral("type"), QStringLiteral("isEndOfTopic")}});
    QTRY_VERIFY_WITH_TIMEOUT(consumer.frames().size() > total, kWaitMs);
    QCOMPARE(compactJson(consumer.frames().last()), QStringLiteral("{\"endOfTopic\":false}"));

    QSignalSpy consumerGone(&consumer.socket(), &QWebSocket::disconnected);
    QSignalSpy producerGone(&producer.socket(), &QWebSocket::disconnected);
    proxy.signal(signalNumber);

    // Both sessions get a close frame with 1001 (going away): a reset would leave no close code of the server's.
    QTRY_COMPARE_WITH_TIMEOUT(consumerGone.count(), 1, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(producerGone.count(), 1, kWaitMs);
    QCOMPARE(consumer.socket().closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
    QCOMPARE(producer.socket().closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
    QVERIFY2(proxy.waitFinished(), "pulsar-desk-proxy did not exit after the signal");
    QVERIFY2(proxy.process().exitStatus() == QProcess::NormalExit, proxy.stderrText().constData());
    QCOMPARE(proxy.process().exitCode(), 0);

    // Everything acked is there after a restart, and so is the subscription's cursor.
    QVERIFY(proxy.start({QStringLiteral("--sync"), sync}));
    Client reader(proxy.endpoint(v2(QStringLiteral("reader"), topic, QStringLiteral("?messageId=earliest"))), true);
    QTRY_COMPARE_WITH_TIMEOUT(reader.messages().size(), total, kWaitMs);
    for (int i = 0; i < total; ++i) {
        QCOMPARE(idOf(reader.messages().at(i)), ackedIds.at(i));
        QCOMPARE(payloadOf(reader.messages().at(i)), "graceful-" + QByteArray::number(i + 1));
    }
    Client again(proxy.endpoint(v2(QStringLiteral("consumer"), topic, QStringLiteral("/sub"))));
    QTRY_COMPARE_WITH_TIMEOUT(again.messages().size(), total - consumed, kWaitMs);
    for (int i = 0; i < total - consumed; ++i)
        QCOMPARE(idOf(again.messages().at(i)), ackedIds.at(consumed + i));
}

void TestProxyProcess::interruptedStreamKeepsEveryAckedMessage_data()
{
    QTest::addColumn<int>("signalNumber");
    QTest::addRow("kill -9") << int(SIGKILL);
    QTest::addRow("SIGTERM") << int(SIGTERM);
}

void TestProxyProcess::interruptedStreamKeepsEveryAckedMessage()
{
    QFETCH(int, signalNumber);
    const bool hardKill = signalNumber == SIGKILL;
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    ProxyProcess proxy(dir.path());
    const QStringList syncAlways{QStringLiteral("--sync"), QStringLiteral("always")};
    const QString topic = QStringLiteral("interrupted");

    constexpr int window = 128;              // sends in flight at any time
    constexpr int maxSendsPerRound = 200000; // bounds the loop should the kill never come
    QHash<int, QString> ackedIds;            // sequence number -> message id of every ok ack
    int nextSeq = 1;

    // At least two kills that land mid-stream, so that the second run appends after a recovered (possibly torn)
    // tail and is killed again. On a loaded machine this thread can be preempted between the burst and the kill
    // long enough for the proxy to ack everything; such a kill proves little, so it is retried (boundedly).
    // SIGTERM may legitimately commit and ack everything it had received before it closes the session.
    constexpr int maxAttempts = 8;
    int midStreamKills = 0;
    for (int attempt = 0; attempt < maxAttempts && midStreamKills < 2; ++attempt) {
        const int killAfterAcks = attempt % 2 == 0 ? 1500 : 700;
        QVERIFY(proxy.start(syncAlways));
        QWebSocket producer;
        int inFlight = 0;
        int inFlightAtKill = 0;
        int roundSends = 0;
        int roundAcks = 0;
        bool killed = false;
        QStringList failures;
        const auto sendOne = [&] {
            const int seq = nextSeq++;
            ++inFlight;
            ++roundSends;
            producer.sendTextMessage(compactJson(sendFrame(
                killPayload(seq), QString::number(seq), QJsonObject{{QStringLiteral("seq"), QString::number(seq)}})));
        };
        QObject::connect(&producer, &QWebSocket::connected, &producer, [&] {
            for (int i = 0; i < window; ++i)
                sendOne();
        });
        QObject::connect(&producer, &QWebSocket::textMessageReceived, &producer, [&](const QString &text) {
            const QJsonObject ack = parseObject(text.toUtf8());
            --inFlight;
            if (ack.value(QLatin1String("result")).toString() == QLatin1String("ok")) {
                ackedIds.insert(ack.value(QLatin1String("context")).toString().toInt(), idOf(ack));
                ++roundAcks;
            } else {
                failures.append(text);
            }
            if (killed || roundSends >= maxSendsPerRound)
                return;
            sendOne();
            if (roundAcks < killAfterAcks)
                return;
            // The proxy answers a window faster than this loop reads the acks, so a kill between two reads could
            // find it idle. A fresh burst pushed into its socket right before the kill makes sure it dies with
            // sends it has not acked: mid-stream.
            for (int i = 0; i < window; ++i)
                sendOne();
            producer.flush();
            proxy.signal(signalNumber);
            inFlightAtKill = inFlight;
            killed = true;
        });
        producer.open(proxy.endpoint(v2(QStringLiteral("producer"), topic)));

        QTRY_VERIFY_WITH_TIMEOUT(killed || !failures.isEmpty(), 60000);
        QVERIFY2(failures.isEmpty(), qPrintable(failures.join(QLatin1Char('\n'))));
        QVERIFY(proxy.waitFinished());
        QTRY_COMPARE_WITH_TIMEOUT(producer.state(), QAbstractSocket::UnconnectedState, kWaitMs);
        qInfo("signal %d after %d acks: %d sent, %d in flight at the signal, %d acked in all", signalNumber,
              killAfterAcks, roundSends, inFlightAtKill, roundAcks);
        if (hardKill) {
            QCOMPARE(proxy.process().exitStatus(), QProcess::CrashExit);
        } else {
            QVERIFY2(proxy.process().exitStatus() == QProcess::NormalExit, proxy.stderrText().constData());
            QCOMPARE(proxy.process().exitCode(), 0);
            QCOMPARE(producer.closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
        }
        if (roundAcks < roundSends || !hardKill)
            ++midStreamKills;
    }
    QVERIFY2(midStreamKills >= 2, "no kill landed mid-stream, with sends the proxy never acked");

    // The restart must come up cleanly on the recovered store and take new messages after the old ones.
    QVERIFY(proxy.start(syncAlways));
    Client producer(proxy.endpoint(v2(QStringLiteral("producer"), topic)));
    QVERIFY(producer.waitConnected());
    producer.send(sendFrame("sentinel", QStringLiteral("sentinel")));
    QTRY_COMPARE_WITH_TIMEOUT(producer.frames().size(), 1, kWaitMs);
    QCOMPARE(producer.frames().first().value(QLatin1String("result")).toString(), QStringLiteral("ok"));
    const QString sentinelId = idOf(producer.frames().first());

    // Read the whole topic; the sentinel marks its end.
    Client reader(proxy.endpoint(v2(QStringLiteral("reader"), topic, QStringLiteral("?messageId=earliest"))), true);
    QTRY_VERIFY_WITH_TIMEOUT(!reader.messages().isEmpty() && idOf(reader.messages().last()) == sentinelId, 60000);
    const QList<QJsonObject> messages = reader.messages();

    QHash<int, QString> deliveredIds;
    int lastSeq = 0;
    Pulsar::MessageId lastId;
    for (int i = 0; i < messages.size() - 1; ++i) {
        const QJsonObject &message = messages.at(i);
        const auto id = Pulsar::MessageId::fromBase64(idOf(message));
        QVERIFY2(id.ok(), qPrintable(idOf(message)));
        QVERIFY2(i == 0 || lastId < *id, "message ids must increase along the topic");
        lastId = *id;
        const int seq =
            message.value(QLatin1String("properties")).toObject().value(QLatin1String("seq")).toString().toInt();
        // Unacked sends may or may not have made it, but whatever is there is whole and in publish order.
        QVERIFY2(seq > lastSeq, qPrintable(QStringLiteral("sequence %1 after %2").arg(seq).arg(lastSeq)));
        lastSeq = seq;
        QCOMPARE(payloadOf(message), killPayload(seq));
        deliveredIds.insert(seq, idOf(message));
    }
    int missing = 0;
    for (auto it = ackedIds.cbegin(); it != ackedIds.cend(); ++it) {
        if (deliveredIds.value(it.key()) != it.value()) {
            if (++missing <= 10)
                qWarning("acked message %d (%s) delivered as \"%s\"", it.key(), qPrintable(it.value()),
                         qPrintable(deliveredIds.value(it.key())));
        }
    }
    QCOMPARE(missing, 0);
    qInfo("%lld acked, %lld delivered after the restarts", qint64(ackedIds.size()), qint64(deliveredIds.size()));
    // A graceful stop lets the store commit what it took and sends those acks before it closes the sessions, so
    // nothing is stored unacknowledged (a producer would resend it and duplicate it). kill -9 cannot promise that.
    if (signalNumber == SIGTERM)
        QCOMPARE(deliveredIds.size(), ackedIds.size());
}

void TestProxyProcess::examplesRoundTrip_data()
{
    QTest::addColumn<QString>("producerLanguage");
    QTest::addColumn<QString>("consumerLanguage");
    QTest::addColumn<bool>("docsMessage"); // the docs' "Hello World" with key1/key2, or our own payload and properties

    QTest::addRow("python to python") << QStringLiteral("python") << QStringLiteral("python") << false;
    QTest::addRow("node to node") << QStringLiteral("node") << QStringLiteral("node") << true;
    QTest::addRow("python to node") << QStringLiteral("python") << QStringLiteral("node") << true;
    QTest::addRow("node to python") << QStringLiteral("node") << QStringLiteral("python") << false;
}

void TestProxyProcess::examplesRoundTrip()
{
    QFETCH(QString, producerLanguage);
    QFETCH(QString, consumerLanguage);
    QFETCH(bool, docsMessage);

    for (const QString &language : {producerLanguage, consumerLanguage}) {
        if (language == QLatin1String("python") && m_python.isEmpty())
            QSKIP(qPrintable(m_pythonMissing));
        if (language == QLatin1String("node") && m_node.isEmpty())
            QSKIP(qPrintable(m_nodeMissing));
    }
    const auto command = [this](const QString &language, const QString &script, const QStringList &arguments) {
        const bool python = language == QLatin1String("python");
        return std::make_unique<ExampleRun>(
            python ? m_python : m_node, QStringList{examplesDir() + QLatin1Char('/') + language + QLatin1Char('/') +
                                                    script + (python ? QStringLiteral(".py") : QStringLiteral(".js"))} +
                                            arguments);
    };

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    ProxyProcess proxy(dir.path());
    QVERIFY(proxy.start());

    constexpr int count = 5;
    const QString topic = QStringLiteral("examples-") + producerLanguage + QLatin1Char('-') + consumerLanguage;
    const QString countText = QString::number(count);
    const QStringList common{QStringLiteral("--url"),   proxy.url(), QStringLiteral("--topic"),   topic,
                             QStringLiteral("--count"), countText,   QStringLiteral("--timeout"), QStringLiteral("25")};

    // As in the docs: the consumer subscribes first (at the latest position), then the producer publishes.
    const auto consumer = command(consumerLanguage, QStringLiteral("consumer"),
                                  common + QStringList{QStringLiteral("--subscription"), QStringLiteral("my-sub")});
    QVERIFY2(consumer->waitForStderr("consumer: subscribed"), consumer->report().constData());

    QStringList producerArguments = common + QStringList{QStringLiteral("--key"), QStringLiteral("key-{i}")};
    QJsonObject properties{{QStringLiteral("key1"), QStringLiteral("value1")},
                           {QStringLiteral("key2"), QStringLiteral("value2")}};
    QString payloadTemplate = QStringLiteral("Hello World");
    if (!docsMessage) {
        payloadTemplate = QStringLiteral("payload {i} from ") + producerLanguage + QStringLiteral(" \u00e9\u4e2d");
        properties = QJsonObject{{QStringLiteral("origin"), producerLanguage},
                                 {QStringLiteral("n\u00e4me"), QStringLiteral("v\u00e4lue = with spaces")}};
        producerArguments << QStringLiteral("--payload") << payloadTemplate;
        for (auto it = properties.constBegin(); it != properties.constEnd(); ++it)
            producerArguments << QStringLiteral("--property") << it.key() + QLatin1Char('=') + it.value().toString();
    }
    const auto producer = command(producerLanguage, QStringLiteral("producer"), producerArguments);
    QVERIFY2(producer->succeeded(), producer->report().constData());

    const QList<QJsonObject> acks = producer->lines();
    QCOMPARE(acks.size(), count);
    QStringList ackedIds;
    for (int i = 0; i < count; ++i) {
        QCOMPARE(acks.at(i).value(QLatin1String("result")).toString(), QStringLiteral("ok"));
        // The Python example sends the docs' numeric context; Pulsar echoes every context as a string.
        QCOMPARE(acks.at(i).value(QLatin1String("context")).toString(), QString::number(i + 1));
        QVERIFY(Pulsar::MessageId::fromBase64(idOf(acks.at(i))).ok());
        ackedIds.append(idOf(acks.at(i)));
    }

    const auto expectedPayload = [&](int i) {
        QString text = payloadTemplate;
        return text.replace(QStringLiteral("{i}"), QString::number(i + 1));
    };
    const auto checkMessages = [&](const QList<QJsonObject> &lines, bool consumerFrames) {
        QCOMPARE(lines.size(), count);
        for (int i = 0; i < count; ++i) {
            const QJsonObject &line = lines.at(i);
            QCOMPARE(idOf(line), ackedIds.at(i));
            QCOMPARE(line.value(QLatin1String("payload")).toString(), expectedPayload(i));
            QCOMPARE(line.value(QLatin1String("payloadBase64")).toString(),
                     QString::fromLatin1(expectedPayload(i).toUtf8().toBase64()));
            QCOMPARE(line.value(QLatin1String("properties")).toObject(), properties);
            QCOMPARE(line.value(QLatin1String("key")).toString(), QStringLiteral("key-%1").arg(i + 1));
            QVERIFY(!line.value(QLatin1String("publishTime")).toString().isEmpty());
            QCOMPARE(line.value(QLatin1String("redeliveryCount")).toInt(-1), 0);
            QVERIFY2(!line.contains(QLatin1String("encryptionContext")) || consumerFrames, "readers never get it");
        }
    };
    QVERIFY2(consumer->succeeded(), consumer->report().constData());
    checkMessages(consumer->lines(), true);
    if (QTest::currentTestFailed())
        return;

    // The reader of the consumer's language, from the earliest message, sees the same ids.
    const auto reader = command(consumerLanguage, QStringLiteral("reader"),
                                common + QStringList{QStringLiteral("--message-id"), QStringLiteral("earliest")});
    QVERIFY2(reader->succeeded(), reader->report().constData());
    checkMessages(reader->lines(), false);
}

QTEST_GUILESS_MAIN(TestProxyProcess)
#include "tst_proxyprocess.moc"
