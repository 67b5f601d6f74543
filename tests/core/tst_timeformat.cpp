#include <QtTest>
class Tst_timeformat : public QObject
{
    Q_OBJECT
};
QTEST_GUILESS_MAIN(Tst_timeformat)
#include "tst_timeformat.moc"
