#pragma once

#include "widgets/streampanel.h"

#include "client/readersession.h"

#include <QPointer>

class QComboBox;
class QLineEdit;
class QSpinBox;

namespace Gui {

// A reader of one topic: where to start (earliest, latest, or after a message id typed as base64 or as
// ledger:entry[:partition[:batch]]), the reader's options (the rare ones under "Advanced"), Connect/Disconnect
// with the state shown, the live message table with its inspector, pause/resume, counters and the end-of-topic
// check.
//
// Pause closes the reader and Resume opens a new one starting after the last message this panel received: a
// reader acknowledges every message by itself (ReaderSession frees Pulsar's window as it delivers), so closing is
// the only way the WebSocket API offers to stop the flow, and a reader has no server-side cursor to lose. One
// edge: a reader that started at "latest" and is paused before its first message resumes at "latest" again.
class ReaderPanel final : public StreamPanel
{
    Q_OBJECT
public:
    ReaderPanel(const Pulsar::ConnectionProfile &profile, const Pulsar::TopicName &topic, EventLog *log,
                QWidget *parent = nullptr);
    ~ReaderPanel() override;

    QString title() const override;
    QByteArray saveState() const override;
    void restoreState(const QByteArray &state) override;
    void shutdown() override;

    void connectReader();
    void disconnectReader();
    void setPaused(bool paused) override;

    Pulsar::ReaderSession *session() const { return m_session; }
    std::optional<Pulsar::ReaderSettings> settingsFromForm(QString *error) const;
    // "earliest", "latest", or the base64 of a message id typed as base64 or ledger:entry[:partition[:batch]].
    static std::optional<QString> startMessageId(const QString &text, QString *error);

protected:
    QString logSource() const override;
    void setFormEnabled(bool enabled) override;

private:
    void buildForm();
    void open(const Pulsar::ReaderSettings &settings);
    void onStatusChanged(const Pulsar::ChannelStatus &status);
    void onMessages(const QList<Pulsar::ReceivedMessage> &messages);

    QPointer<Pulsar::ReaderSession> m_session;
    QWidget *m_form = nullptr;
    QComboBox *m_start = nullptr;
    QLineEdit *m_startId = nullptr;
    QSpinBox *m_receiverQueueSize = nullptr;
    QLineEdit *m_readerName = nullptr;
    QComboBox *m_cryptoFailureAction = nullptr;

    Pulsar::ReaderSettings m_settings; // of the open reader, reused on resume
    QString m_lastMessageId;           // the last id received (base64), where a resumed reader starts after
    bool m_paused = false;
    bool m_active = false; // connected or paused: the user has not disconnected
};

} // namespace Gui
