#pragma once

// Driving one producer, consumer or reader panel against the bundled proxy, as tst_producerpanel,
// tst_consumerpanel and tst_readerpanel do: a fresh topic per case, a profile on the proxy's port, and the panel
// on an event log of its own, connected through its Connect button.
#include "deskdriver.h"
#include "proxyfixture.h"

#include "client/connectionprofile.h"
#include "client/websocketchannel.h"
#include "models/eventlog.h"
#include "protocol/topicname.h"

#include <QLabel>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSize>
#include <QStringList>
#include <QTest>

namespace TestSupport {

// How long a panel case waits for the proxy (connect, acks, deliveries): generous, since a wait ends as soon as
// its condition holds.
constexpr int kPanelWaitMs = 20000;

// A topic of its own for each case (the cases of a file share one proxy).
inline Pulsar::TopicName uniqueTopic(const QString &prefix)
{
    return *Pulsar::TopicName::parse(QStringLiteral("persistent://public/default/") + prefix + QLatin1Char('-') +
                                     QString::number(QRandomGenerator::global()->generate64(), 36));
}

// A profile on 127.0.0.1:port with no authentication (a closed port makes a refused connection).
inline Pulsar::ConnectionProfile profileFor(quint16 port)
{
    Pulsar::ConnectionProfile profile;
    profile.name = QStringLiteral("test");
    profile.serviceUrl = QUrl(QStringLiteral("ws://127.0.0.1:") + QString::number(port));
    return profile;
}

inline Pulsar::ConnectionProfile profileFor(const ProxyFixture &proxy)
{
    return profileFor(proxy.port());
}

// A panel (ProducerPanel, ConsumerPanel or ReaderPanel: the constructor and session() they share) shown at size,
// with the event log it writes to.
template<typename PanelType>
struct PanelDriver
{
    PanelDriver(const Pulsar::ConnectionProfile &profile, const Pulsar::TopicName &topic, QSize size)
        : panel(profile, topic, &log)
    {
        panel.resize(size);
        panel.show();
    }

    // Clicks Connect and waits for the session to be connected; false if it is not within kPanelWaitMs.
    bool connectAndWait()
    {
        QTest::mouseClick(button("connectButton"), Qt::LeftButton);
        return QTest::qWaitFor(
            [&] { return panel.session() && panel.session()->status().state == Pulsar::ChannelState::Connected; },
            kPanelWaitMs);
    }
    QString status() { return child<QLabel>(&panel, "statusLabel")->text(); }
    QPushButton *button(const char *name) { return child<QPushButton>(&panel, name); }
    // The texts of the Error entries in the log, oldest first.
    QStringList logErrors()
    {
        log.flush();
        QStringList errors;
        for (int row = 0; row < log.rowCount(); ++row) {
            if (log.entry(row).level == Gui::EventLog::Level::Error)
                errors.append(log.entry(row).text);
        }
        return errors;
    }

    Gui::EventLog log; // before panel: the panel writes to it until it is gone
    PanelType panel;
};

} // namespace TestSupport
