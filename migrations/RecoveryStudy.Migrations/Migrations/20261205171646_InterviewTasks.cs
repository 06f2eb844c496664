using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace RecoveryStudy.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class InterviewTasks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "interviewer_reminder_days_before",
                table: "waves",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "kind",
                table: "waves",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "questionnaire");

            migrationBuilder.CreateTable(
                name: "interview_tasks",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    study_id = table.Column<int>(type: "integer", nullable: false),
                    participant_id = table.Column<int>(type: "integer", nullable: false),
                    wave_id = table.Column<int>(type: "integer", nullable: false),
                    due_date = table.Column<DateOnly>(type: "date", nullable: false),
                    opens_on = table.Column<DateOnly>(type: "date", nullable: false),
                    closes_on = table.Column<DateOnly>(type: "date", nullable: false),
                    closes_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    interviewer_id = table.Column<int>(type: "integer", nullable: true),
                    completed_on = table.Column<DateOnly>(type: "date", nullable: true),
                    duration_minutes = table.Column<int>(type: "integer", nullable: true),
                    mode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    reminder_sent_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_interview_tasks", x => x.id);
                    table.CheckConstraint("ck_interview_task_done", "status <> 'done' OR (completed_on IS NOT NULL AND duration_minutes IS NOT NULL AND mode IS NOT NULL)");
                    table.CheckConstraint("ck_interview_task_duration", "duration_minutes IS NULL OR duration_minutes BETWEEN 1 AND 1440");
                    table.CheckConstraint("ck_interview_task_mode", "mode IS NULL OR mode IN ('in_person', 'phone', 'video')");
                    table.CheckConstraint("ck_interview_task_status", "status IN ('open', 'done', 'missed')");
                    table.CheckConstraint("ck_interview_task_window", "closes_on >= opens_on");
                    table.ForeignKey(
                        name: "fk_interview_tasks_participants_participant_id",
                        column: x => x.participant_id,
                        principalTable: "participants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_interview_tasks_staff_users_interviewer_id",
                        column: x => x.interviewer_id,
                        principalTable: "staff_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_interview_tasks_studies_study_id",
                        column: x => x.study_id,
                        principalTable: "studies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_interview_tasks_waves_wave_id",
                        column: x => x.wave_id,
                        principalTable: "waves",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.AddCheckConstraint(
                name: "ck_wave_kind",
                table: "waves",
                sql: "kind IN ('questionnaire', 'interview')");

            migrationBuilder.CreateIndex(
                name: "ix_interview_task_open_closes_at",
                table: "interview_tasks",
                column: "closes_at",
                filter: "status = 'open'");

            migrationBuilder.CreateIndex(
                name: "ix_interview_tasks_interviewer_id_status",
                table: "interview_tasks",
                columns: new[] { "interviewer_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_interview_tasks_participant_id_wave_id",
                table: "interview_tasks",
                columns: new[] { "participant_id", "wave_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_interview_tasks_study_id_status_opens_on",
                table: "interview_tasks",
                columns: new[] { "study_id", "status", "opens_on" });

            migrationBuilder.CreateIndex(
                name: "ix_interview_tasks_wave_id",
                table: "interview_tasks",
                column: "wave_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "interview_tasks");

            migrationBuilder.DropCheckConstraint(
                name: "ck_wave_kind",
                table: "waves");

            migrationBuilder.DropColumn(
                name: "interviewer_reminder_days_before",
                table: "waves");

            migrationBuilder.DropColumn(
                name: "kind",
                table: "waves");
        }
    }
}
