using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Instruments;
using RecoveryStudy.Mail;
using RecoveryStudy.Participants;
using RecoveryStudy.Scheduling;
using RecoveryStudy.Staff;
using RecoveryStudy.Studies;
using RecoveryStudy.Survey;
using RecoveryStudy.Waves;

namespace RecoveryStudy.Data;

/// <summary>The one DbContext. Each entity's mapping sits next to the entity, in its feature folder.</summary>
public class StudyDbContext(DbContextOptions<StudyDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<Study> Studies => Set<Study>();
    public DbSet<ProtocolVersion> ProtocolVersions => Set<ProtocolVersion>();
    public DbSet<Cohort> Cohorts => Set<Cohort>();
    public DbSet<CohortAnchor> CohortAnchors => Set<CohortAnchor>();
    public DbSet<Instrument> Instruments => Set<Instrument>();
    public DbSet<InstrumentVersion> InstrumentVersions => Set<InstrumentVersion>();
    public DbSet<Item> Items => Set<Item>();
    public DbSet<ItemOption> ItemOptions => Set<ItemOption>();
    public DbSet<Score> Scores => Set<Score>();
    public DbSet<Participant> Participants => Set<Participant>();
    public DbSet<ContactDetails> ContactDetails => Set<ContactDetails>();
    public DbSet<ParticipantAnchor> ParticipantAnchors => Set<ParticipantAnchor>();
    public DbSet<Wave> Waves => Set<Wave>();
    public DbSet<WaveInstrument> WaveInstruments => Set<WaveInstrument>();
    public DbSet<Invitation> Invitations => Set<Invitation>();
    public DbSet<Interviews.InterviewTask> InterviewTasks => Set<Interviews.InterviewTask>();
    public DbSet<Interviews.CalendarFeedToken> CalendarFeedTokens => Set<Interviews.CalendarFeedToken>();
    public DbSet<Message> Messages => Set<Message>();
    public DbSet<MailRelay> MailRelays => Set<MailRelay>();
    public DbSet<RelayPermitBlock> RelayPermits => Set<RelayPermitBlock>();
    public DbSet<RelayConnectionSlot> RelayConnectionSlots => Set<RelayConnectionSlot>();
    public DbSet<Bounces.BounceReport> BounceReports => Set<Bounces.BounceReport>();
    public DbSet<Response> Responses => Set<Response>();
    public DbSet<Answer> Answers => Set<Answer>();
    public DbSet<AccessToken> AccessTokens => Set<AccessToken>();
    public DbSet<StaffUser> StaffUsers => Set<StaffUser>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<ConsoleSession> StaffSessions => Set<ConsoleSession>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(StudyDbContext).Assembly);
    }
}
