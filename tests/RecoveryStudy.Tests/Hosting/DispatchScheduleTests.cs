using System.Globalization;
using RecoveryStudy.Mail;
using RecoveryStudy.Web.Jobs;

namespace RecoveryStudy.Tests.Hosting;

/// <summary>
/// The dispatch jobs of several connection slots start spread over the minute, so that one of them
/// is always sending while the others wait for their tick (issue 24's quota use; bench/README.md).
/// </summary>
public sealed class DispatchScheduleTests
{
    [Fact]
    public void Three_slots_tick_at_seconds_0_20_and_40()
    {
        Assert.Equal(["0 * * * * *", "20 * * * * *", "40 * * * * *"], Enumerable.Range(1, 3).Select(slot => RecurringJobs.StaggeredMinutely(slot, 3)));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(MailOptions.MaxConnectionsPerRelay)]
    public void With_several_slots_no_second_of_the_minute_lies_outside_every_run(int slots)
    {
        var starts = Enumerable.Range(1, slots)
            .Select(slot => int.Parse(RecurringJobs.StaggeredMinutely(slot, slots).Split(' ')[0], CultureInfo.InvariantCulture)).ToList();
        var budget = (int)new MailOptions().RunBudget.TotalSeconds;
        Assert.All(Enumerable.Range(0, 60), second =>
            Assert.Contains(starts, start => (second - start + 60) % 60 < budget));
    }
}
