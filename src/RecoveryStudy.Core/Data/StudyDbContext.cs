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
    public DbSet<Interviews.Files.InterviewFile> InterviewFiles => Set<Interviews.Files.InterviewFile>();
    public DbSet<Interviews.Files.InterviewFileChunk> InterviewFileChunks => Set<Interviews.Files.InterviewFileChunk>();
    public DbSet<Interviews.Booking.InterviewSlot> InterviewSlots => Set<Interviews.Booking.InterviewSlot>();
    public DbSet<Interviews.Booking.BookingLink> BookingLinks => Set<Interviews.Booking.BookingLink>();
    public DbSet<Interviews.Booking.BookingCancellation> BookingCancellations => Set<Interviews.Booking.BookingCancellation>();
    public DbSet<DirectEmail> DirectEmails => Set<DirectEmail>();
    public DbSet<Message> Messages => Set<Message>();
    public DbSet<MailRelay> MailRelays => Set<MailRelay>();
    public DbSet<RelayPermitBlock> RelayPermits => Set<RelayPermitBlock>();
    public DbSet<RelayConnectionSlot> RelayConnectionSlots => Set<RelayConnectionSlot>();
    public DbSet<Bounces.BounceReport> BounceReports => Set<Bounces.BounceReport>();
    public DbSet<Response> Responses => Set<Response>();
    public DbSet<Answer> Answers => Set<Answer>();
    public DbSet<AccessToken> AccessTokens => Set<AccessToken>();
    public DbSet<Consent.ConsentRecord> ConsentRecords => Set<Consent.ConsentRecord>();
    public DbSet<StaffUser> StaffUsers => Set<StaffUser>();
    public DbSet<StudyMember> StudyMembers => Set<StudyMember>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<ConsoleSession> StaffSessions => Set<ConsoleSession>();
    public DbSet<RecoveryCode> RecoveryCodes => Set<RecoveryCode>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>
    /// True in a staff request of an account that is not an admin: EF Core queries then see only the
    /// participants of <see cref="VisibleStudyIds"/> (studies it is an unrestricted member of) and of
    /// <see cref="VisibleCohortIds"/> (the sites of its site-limited memberships). Jobs, the CLI and
    /// participant pages leave it false. Set by the web's study authorization, nowhere else.
    /// </summary>
    public bool LimitParticipants { get; private set; }

    public int[] VisibleStudyIds { get; private set; } = [];
    public int[] VisibleCohortIds { get; private set; } = [];

    public void LimitParticipantsTo(int[] studyIds, int[] cohortIds)
    {
        (LimitParticipants, VisibleStudyIds, VisibleCohortIds) = (true, studyIds, cohortIds);
    }

    /// <summary>
    /// Sees every participant again. The web host rents contexts from a pool (docs/design.md, "Participant
    /// pages"): EF Core resets its own state when a context goes back, not this, so every rental starts here.
    /// </summary>
    public StudyDbContext WithoutParticipantLimit()
    {
        (LimitParticipants, VisibleStudyIds, VisibleCohortIds) = (false, [], []);
        return this;
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(StudyDbContext).Assembly);
        modelBuilder.Entity<Participant>().HasQueryFilter(p => !LimitParticipants
            || VisibleStudyIds.Contains(p.StudyId)
            || (p.CohortId != null && VisibleCohortIds.Contains(p.CohortId.Value)));
    }
}
