#include "detachedpanelwindow.h"

#include "widgets/panel.h"

#include <QCloseEvent>
#include <QToolBar>

namespace Gui {

DetachedPanelWindow::DetachedPanelWindow(Panel *panel, QWidget *parent)
    : QMainWindow(parent, Qt::Window)
    , m_panel(panel)
{
    setObjectName(QStringLiteral("detachedPanelWindow"));
    setAttribute(Qt::WA_DeleteOnClose);
    setCentralWidget(panel);
    panel->show();
    setWindowTitle(panel->title());
    connect(panel, &Panel::titleChanged, this, [this] {
        if (m_panel)
            setWindowTitle(m_panel->title());
    });

    QToolBar *bar = addToolBar(tr("Window"));
    bar->setObjectName(QStringLiteral("detachedToolBar"));
    bar->setMovable(false);
    QAction *attach = bar->addAction(tr("Back to Main Window"));
    attach->setObjectName(QStringLiteral("attachPanelAction"));
    attach->setToolTip(tr("Put this panel back into a tab of the main window"));
    connect(attach, &QAction::triggered, this, [this] {
        if (m_panel)
            Q_EMIT attachRequested(m_panel);
    });
}

Panel *DetachedPanelWindow::takePanel()
{
    Panel *panel = m_panel;
    if (panel) {
        takeCentralWidget();
        m_panel = nullptr;
    }
    close();
    return panel;
}

void DetachedPanelWindow::closeEvent(QCloseEvent *event)
{
    if (m_panel) {
        Panel *panel = m_panel;
        takeCentralWidget();
        m_panel = nullptr;
        Q_EMIT panelClosed(panel);
    }
    event->accept();
}

} // namespace Gui
