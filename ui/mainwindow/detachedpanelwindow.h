#pragma once

#include <QMainWindow>
#include <QPointer>

namespace Gui {

class Panel;

// A panel torn off the main window's tabs: a top-level window holding it, titled like its tab, with a "Back to
// Main Window" action. Closing the window closes the panel, as closing its tab would.
class DetachedPanelWindow final : public QMainWindow
{
    Q_OBJECT
public:
    explicit DetachedPanelWindow(Panel *panel, QWidget *parent = nullptr);

    Panel *panel() const { return m_panel; }
    // Gives the panel back (the window no longer owns it) and closes the window without closing the panel.
    Panel *takePanel();

Q_SIGNALS:
    void attachRequested(Gui::Panel *panel);
    void panelClosed(Gui::Panel *panel);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    QPointer<Panel> m_panel;
};

} // namespace Gui
