using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace RecoveryStudy.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class BookingCancellationsAndDirectEmails : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "booking_cancellations",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    interview_task_id = table.Column<long>(type: "bigint", nullable: false),
                    interviewer_id = table.Column<int>(type: "integer", nullable: true),
                    starts_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ends_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    mode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    cause = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    cancelled_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    participant_mail_sent_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    interviewer_mail_sent_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_booking_cancellations", x => x.id);
                    table.CheckConstraint("ck_booking_cancellation_cause", "cause IN ('participant', 'staff', 'slot_withdrawn')");
                    table.ForeignKey(
                        name: "fk_booking_cancellations_interview_tasks_interview_task_id",
                        column: x => x.interview_task_id,
                        principalTable: "interview_tasks",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_booking_cancellations_staff_users_interviewer_id",
                        column: x => x.interviewer_id,
                        principalTable: "staff_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "direct_emails",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    participant_id = table.Column<int>(type: "integer", nullable: false),
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    reference = table.Column<long>(type: "bigint", nullable: false),
                    claimed_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_direct_emails", x => x.id);
                    table.ForeignKey(
                        name: "fk_direct_emails_participants_participant_id",
                        column: x => x.participant_id,
                        principalTable: "participants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_booking_cancellations_interview_task_id",
                table: "booking_cancellations",
                column: "interview_task_id");

            migrationBuilder.CreateIndex(
                name: "ix_booking_cancellations_interviewer_id",
                table: "booking_cancellations",
                column: "interviewer_id");

            migrationBuilder.CreateIndex(
                name: "ix_direct_emails_kind_reference",
                table: "direct_emails",
                columns: new[] { "kind", "reference" });

            migrationBuilder.CreateIndex(
                name: "ix_direct_emails_claimed_at_participant_id",
                table: "direct_emails",
                columns: new[] { "claimed_at", "participant_id" });

            migrationBuilder.CreateIndex(
                name: "ix_direct_emails_participant_id",
                table: "direct_emails",
                column: "participant_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "booking_cancellations");

            migrationBuilder.DropTable(
                name: "direct_emails");
        }
    }
}
