#pragma once

#include "widgets/messagestreamview.h"
#include "widgets/panel.h"

#include "client/websocketchannel.h"
#include "models/eventlog.h"

#include <QPointer>

#include <functional>

class QComboBox;
class QFormLayout;
class QHBoxLayout;
class QJsonObject;
class QLabel;
class QPushButton;
class QSpinBox;
class QToolButton;
class QVBoxLayout;

namespace Gui {

// What the consumer and reader panels are built on: their form on top, the session row under it (Connect,
// Disconnect, the panel's own buttons, "End of topic?" with its answer, the status), the message stream view
// below, and the one wording both use for a channel's state in the status label and the event log. The panel
// owns its session and its form; this class only lays them out and reports on them.
class StreamPanel : public Panel
{
    Q_OBJECT
public:
    MessageStreamView *streamView() const { return m_stream; }
    MessageTableModel *model() const { return m_stream->model(); }
    void setMaxRows(int rows);
    // The stream view's Pause button leads here.
    virtual void setPaused(bool paused) = 0;

protected:
    StreamPanel(Kind kind, const Pulsar::ConnectionProfile &profile, const Pulsar::TopicName &topic, EventLog *log,
                QWidget *parent);

    // Lays the panel out from the top: the form, the session row, the stream view. Call once from the panel's
    // constructor, right after building the form: widgets take their tab order from the order they are made in.
    void buildFrame(QWidget *form, MessageStreamView::Mode mode);
    // The "Advanced" toggle and the folded group it shows, appended to outer (the form's layout); the rare
    // options go in the returned layout, whose parentWidget() is the group.
    QFormLayout *addAdvancedGroup(QVBoxLayout *outer);
    // A button of the panel's own (Unsubscribe), after Disconnect in the row and in the tab order, enabled while a
    // session is open.
    void addSessionButton(QPushButton *button);
    // What "End of topic?" asks (true if the question went out), its tooltip, and the panel's wording of a yes.
    void setEndOfTopicQuery(std::function<bool()> query, const QString &toolTip, const QString &yesAnswer);
    // The session's answer to that question.
    void showEndOfTopic(bool endOfTopic);
    void clearEndOfTopic();
    QPushButton *connectButton() const { return m_connect; }
    QPushButton *disconnectButton() const { return m_disconnect; }

    // Enabled (no session): the form and Connect; otherwise Disconnect and the session buttons.
    virtual void setFormEnabled(bool enabled);
    void setStatusText(const QString &text, bool error);
    // In the status label and in the event log.
    void reportError(const QString &text);
    void reportDisconnected();
    void addLog(EventLog::Level level, const QString &text);
    // The status label and the log for a session's state; what else the state means is the panel's business.
    void showChannelStatus(const Pulsar::ChannelStatus &status, bool paused);

    // Disconnects, closes and deletes the session; false if there was none.
    template<typename Session>
    bool closeSession(QPointer<Session> &session)
    {
        if (!session)
            return false;
        Session *closing = session;
        session = nullptr;
        disconnect(closing, nullptr, this, nullptr);
        // A failed session has nothing left to close, and closing it from inside its own Failed signal would
        // delete the channel's handshake probe while the probe is still emitting (WebSocketChannel::close()
        // deletes it directly).
        if (closing->status().state != Pulsar::ChannelState::Failed)
            closing->close();
        closing->deleteLater();
        return true;
    }

    // Whether the fold is open and the stream view's layout, as "advancedShown" and "view" in the panel's state.
    void saveFrameState(QJsonObject &state) const;
    void restoreFrameState(const QJsonObject &state);

    // Form helpers: a combo box of Pulsar's own names (what the docs and the query use), a spin box, and picking
    // a combo entry by its data (an unknown value leaves the combo as it is).
    static QComboBox *enumCombo(const QString &name, const QStringList &values, QWidget *parent);
    static QSpinBox *spin(const QString &name, int min, int max, int value, QWidget *parent,
                          const QString &suffix = QString());
    static void selectData(QComboBox *combo, const QString &value);
    // The cryptoFailureAction row both options share (FAIL, DISCARD, CONSUME), added to the advanced fields.
    QComboBox *addCryptoFailureActionRow(QFormLayout *advanced);

    // "Consumer <topic>": who the panel's event-log lines come from.
    virtual QString logSource() const = 0;

private:
    MessageStreamView *m_stream = nullptr;
    QHBoxLayout *m_actions = nullptr;
    QWidget *m_form = nullptr;
    QToolButton *m_advancedToggle = nullptr;
    QPushButton *m_connect = nullptr;
    QPushButton *m_disconnect = nullptr;
    QList<QPushButton *> m_sessionButtons;
    QPushButton *m_endOfTopic = nullptr;
    QLabel *m_endOfTopicLabel = nullptr;
    QLabel *m_status = nullptr;
    std::function<bool()> m_endOfTopicQuery;
    QString m_endOfTopicYes;
};

} // namespace Gui
