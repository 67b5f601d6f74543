#include <QtTest>
class Tst_topicname : public QObject
{
    Q_OBJECT
};
QTEST_GUILESS_MAIN(Tst_topicname)
#include "tst_topicname.moc"
