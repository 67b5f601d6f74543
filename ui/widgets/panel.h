#pragma once

#include "client/connectionprofile.h"
#include "protocol/topicname.h"

#include <QByteArray>
#include <QWidget>

namespace Gui {

class EventLog;

// What the main window hosts as a tab (or a torn-off window): a producer, consumer or reader on one topic of one
// connection. The window knows panels only through this base: it restores them on start from kind(), topic and
// saveState(), titles their tabs and closes their sessions when they go.
class Panel : public QWidget
{
    Q_OBJECT
public:
    enum class Kind
    {
        Producer,
        Consumer,
        Reader,
    };

    Panel(Kind kind, const Pulsar::ConnectionProfile &profile, const Pulsar::TopicName &topic, EventLog *log,
          QWidget *parent = nullptr)
        : QWidget(parent)
        , m_kind(kind)
        , m_profile(profile)
        , m_topic(topic)
        , m_log(log)
    {}

    Kind kind() const { return m_kind; }
    const Pulsar::TopicName &topic() const { return m_topic; }
    const Pulsar::ConnectionProfile &profile() const { return m_profile; }
    EventLog *log() const { return m_log; }

    // The tab's text, e.g. "Consume my-topic". Translated.
    virtual QString title() const = 0;
    // Form values and column widths, restored on the next start. Never holds a token.
    virtual QByteArray saveState() const = 0;
    virtual void restoreState(const QByteArray &state) = 0;
    // Closes the panel's session (the window is closing or the tab is being closed).
    virtual void shutdown() = 0;

Q_SIGNALS:
    void titleChanged();

private:
    Kind m_kind;
    Pulsar::ConnectionProfile m_profile;
    Pulsar::TopicName m_topic;
    EventLog *m_log;
};

} // namespace Gui
