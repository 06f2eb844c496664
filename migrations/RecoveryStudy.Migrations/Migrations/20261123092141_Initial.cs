using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace RecoveryStudy.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "data_protection_keys",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    friendly_name = table.Column<string>(type: "text", nullable: true),
                    xml = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_data_protection_keys", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "staff_users",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    password_hash = table.Column<string>(type: "text", nullable: false),
                    role = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    disabled = table.Column<bool>(type: "boolean", nullable: false),
                    failed_sign_ins = table.Column<int>(type: "integer", nullable: false),
                    locked_until = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    last_sign_in_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_staff_users", x => x.id);
                    table.CheckConstraint("ck_staff_user_role", "role IN ('admin', 'researcher', 'analyst')");
                });

            migrationBuilder.CreateTable(
                name: "api_tokens",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    staff_user_id = table.Column<int>(type: "integer", nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    last_used_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    revoked_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_api_tokens", x => x.id);
                    table.ForeignKey(
                        name: "fk_api_tokens_staff_users_staff_user_id",
                        column: x => x.staff_user_id,
                        principalTable: "staff_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "audit_entries",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    staff_user_id = table.Column<int>(type: "integer", nullable: true),
                    actor_kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    action = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    study_id = table.Column<int>(type: "integer", nullable: true),
                    target_type = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    target_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    details = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_entries", x => x.id);
                    table.ForeignKey(
                        name: "fk_audit_entries_staff_users_staff_user_id",
                        column: x => x.staff_user_id,
                        principalTable: "staff_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "access_tokens",
                columns: table => new
                {
                    hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    invitation_id = table.Column<long>(type: "bigint", nullable: false),
                    purpose = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    revoked_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_access_tokens", x => x.hash);
                    table.CheckConstraint("ck_access_token_hash_length", "length(hash) = 32");
                    table.CheckConstraint("ck_access_token_purpose", "purpose IN ('survey', 'unsubscribe')");
                });

            migrationBuilder.CreateTable(
                name: "answers",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    response_id = table.Column<long>(type: "bigint", nullable: false),
                    item_id = table.Column<int>(type: "integer", nullable: false),
                    numeric_value = table.Column<decimal>(type: "numeric", nullable: true),
                    codes = table.Column<int[]>(type: "integer[]", nullable: true),
                    date_value = table.Column<DateOnly>(type: "date", nullable: true),
                    text_value = table.Column<string>(type: "character varying(10000)", maxLength: 10000, nullable: true),
                    answered_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_answers", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "cohort_anchors",
                columns: table => new
                {
                    cohort_id = table.Column<int>(type: "integer", nullable: false),
                    name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    date = table.Column<DateOnly>(type: "date", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_cohort_anchors", x => new { x.cohort_id, x.name });
                });

            migrationBuilder.CreateTable(
                name: "cohorts",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    study_id = table.Column<int>(type: "integer", nullable: false),
                    code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_cohorts", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "contact_details",
                columns: table => new
                {
                    participant_id = table.Column<int>(type: "integer", nullable: false),
                    study_id = table.Column<int>(type: "integer", nullable: false),
                    email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_contact_details", x => x.participant_id);
                });

            migrationBuilder.CreateTable(
                name: "instrument_versions",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    instrument_id = table.Column<int>(type: "integer", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    title = table.Column<string>(type: "jsonb", nullable: false),
                    intro = table.Column<string>(type: "jsonb", nullable: false),
                    source = table.Column<string>(type: "text", nullable: true),
                    licence = table.Column<string>(type: "text", nullable: true),
                    content_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_instrument_versions", x => x.id);
                    table.CheckConstraint("ck_instrument_version_version", "version >= 1");
                });

            migrationBuilder.CreateTable(
                name: "items",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    instrument_version_id = table.Column<int>(type: "integer", nullable: false),
                    code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false),
                    type = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    label = table.Column<string>(type: "jsonb", nullable: false),
                    help = table.Column<string>(type: "jsonb", nullable: false),
                    required = table.Column<bool>(type: "boolean", nullable: false),
                    min = table.Column<decimal>(type: "numeric", nullable: true),
                    max = table.Column<decimal>(type: "numeric", nullable: true),
                    show_if_item_code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    show_if_codes = table.Column<int[]>(type: "integer[]", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_items", x => x.id);
                    table.CheckConstraint("ck_item_type", "type IN ('single_choice', 'multiple_choice', 'rating', 'yes_no', 'number', 'date', 'short_text', 'long_text', 'section')");
                    table.ForeignKey(
                        name: "fk_items_instrument_versions_instrument_version_id",
                        column: x => x.instrument_version_id,
                        principalTable: "instrument_versions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "scores",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    instrument_version_id = table.Column<int>(type: "integer", nullable: false),
                    code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    label = table.Column<string>(type: "jsonb", nullable: false),
                    method = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    item_codes = table.Column<string[]>(type: "text[]", nullable: false),
                    reverse_item_codes = table.Column<string[]>(type: "text[]", nullable: false),
                    min_answered = table.Column<int>(type: "integer", nullable: false),
                    multiplier = table.Column<decimal>(type: "numeric", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_scores", x => x.id);
                    table.CheckConstraint("ck_score_method", "method IN ('sum', 'mean')");
                    table.ForeignKey(
                        name: "fk_scores_instrument_versions_instrument_version_id",
                        column: x => x.instrument_version_id,
                        principalTable: "instrument_versions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "item_options",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    item_id = table.Column<int>(type: "integer", nullable: false),
                    code = table.Column<int>(type: "integer", nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false),
                    label = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_item_options", x => x.id);
                    table.ForeignKey(
                        name: "fk_item_options_items_item_id",
                        column: x => x.item_id,
                        principalTable: "items",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "instruments",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    study_id = table.Column<int>(type: "integer", nullable: false),
                    code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_instruments", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "invitations",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    study_id = table.Column<int>(type: "integer", nullable: false),
                    participant_id = table.Column<int>(type: "integer", nullable: false),
                    wave_id = table.Column<int>(type: "integer", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    due_date = table.Column<DateOnly>(type: "date", nullable: false),
                    opens_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    closes_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    planned_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    sent_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    first_opened_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    last_saved_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    completed_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    expired_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    reminders_stopped_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_invitations", x => x.id);
                    table.CheckConstraint("ck_invitation_status", "status IN ('planned', 'sent', 'opened', 'in_progress', 'completed', 'expired', 'missed', 'withdrawn', 'undeliverable')");
                    table.CheckConstraint("ck_invitation_window", "closes_at > opens_at");
                });

            migrationBuilder.CreateTable(
                name: "messages",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    invitation_id = table.Column<long>(type: "bigint", nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    step = table.Column<int>(type: "integer", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    due_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    next_attempt_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    claimed_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    claimed_until = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    sent_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    smtp_message_id = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    last_error = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    cancel_reason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    unknown_outcomes = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_messages", x => x.id);
                    table.CheckConstraint("ck_message_kind", "kind IN ('invitation', 'reminder', 'last_chance')");
                    table.CheckConstraint("ck_message_status", "status IN ('queued', 'sending', 'sent', 'failed', 'cancelled')");
                    table.CheckConstraint("ck_message_step", "step >= 0");
                    table.ForeignKey(
                        name: "fk_messages_invitations_invitation_id",
                        column: x => x.invitation_id,
                        principalTable: "invitations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "responses",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    invitation_id = table.Column<long>(type: "bigint", nullable: false),
                    instrument_version_id = table.Column<int>(type: "integer", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    source = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    started_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    completed_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_responses", x => x.id);
                    table.CheckConstraint("ck_response_source", "source IN ('web', 'import')");
                    table.CheckConstraint("ck_response_status", "status IN ('in_progress', 'complete', 'incomplete')");
                    table.ForeignKey(
                        name: "fk_responses_instrument_versions_instrument_version_id",
                        column: x => x.instrument_version_id,
                        principalTable: "instrument_versions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_responses_invitations_invitation_id",
                        column: x => x.invitation_id,
                        principalTable: "invitations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "participant_anchors",
                columns: table => new
                {
                    participant_id = table.Column<int>(type: "integer", nullable: false),
                    name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    date = table.Column<DateOnly>(type: "date", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_participant_anchors", x => new { x.participant_id, x.name });
                });

            migrationBuilder.CreateTable(
                name: "participants",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    study_id = table.Column<int>(type: "integer", nullable: false),
                    cohort_id = table.Column<int>(type: "integer", nullable: true),
                    code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    role = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    language = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    time_zone = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    enrolled_on = table.Column<DateOnly>(type: "date", nullable: false),
                    opted_out_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    undeliverable_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    withdrawn_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    withdrawal_reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_participants", x => x.id);
                    table.CheckConstraint("ck_participant_status", "status IN ('active', 'withdrawn')");
                    table.ForeignKey(
                        name: "fk_participants_cohorts_cohort_id",
                        column: x => x.cohort_id,
                        principalTable: "cohorts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "protocol_versions",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    study_id = table.Column<int>(type: "integer", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    document = table.Column<string>(type: "jsonb", nullable: false),
                    sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    imported_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    imported_by_staff_user_id = table.Column<int>(type: "integer", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_protocol_versions", x => x.id);
                    table.ForeignKey(
                        name: "fk_protocol_versions_staff_users_imported_by_staff_user_id",
                        column: x => x.imported_by_staff_user_id,
                        principalTable: "staff_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "studies",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    title = table.Column<string>(type: "jsonb", nullable: false),
                    time_zone = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    languages = table.Column<string[]>(type: "text[]", nullable: false),
                    default_language = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    sender_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    sender_email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    contact_email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    send_time = table.Column<TimeOnly>(type: "time without time zone", nullable: false),
                    send_hours_start = table.Column<TimeOnly>(type: "time without time zone", nullable: false),
                    send_hours_end = table.Column<TimeOnly>(type: "time without time zone", nullable: false),
                    send_days = table.Column<int[]>(type: "integer[]", nullable: false),
                    max_emails_per_participant_per_day = table.Column<int>(type: "integer", nullable: false),
                    response_rate_target = table.Column<decimal>(type: "numeric", nullable: true),
                    current_protocol_version_id = table.Column<int>(type: "integer", nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    paused_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_studies", x => x.id);
                    table.CheckConstraint("ck_study_max_emails", "max_emails_per_participant_per_day >= 1");
                    table.CheckConstraint("ck_study_status", "status IN ('draft', 'active', 'paused', 'closed')");
                    table.ForeignKey(
                        name: "fk_studies_protocol_versions_current_protocol_version_id",
                        column: x => x.current_protocol_version_id,
                        principalTable: "protocol_versions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "waves",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    study_id = table.Column<int>(type: "integer", nullable: false),
                    code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false),
                    title = table.Column<string>(type: "jsonb", nullable: false),
                    intro = table.Column<string>(type: "jsonb", nullable: false),
                    anchor = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    offset_value = table.Column<int>(type: "integer", nullable: false),
                    offset_unit = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    window_opens_days = table.Column<int>(type: "integer", nullable: false),
                    window_closes_days = table.Column<int>(type: "integer", nullable: false),
                    roles = table.Column<string[]>(type: "text[]", nullable: false),
                    reminder_days = table.Column<int[]>(type: "integer[]", nullable: false),
                    last_chance_days_before = table.Column<int>(type: "integer", nullable: true),
                    estimated_minutes = table.Column<int>(type: "integer", nullable: false),
                    emails = table.Column<string>(type: "jsonb", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    paused_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_waves", x => x.id);
                    table.CheckConstraint("ck_wave_offset_unit", "offset_unit IN ('days', 'weeks', 'months')");
                    table.CheckConstraint("ck_wave_status", "status IN ('active', 'paused')");
                    table.CheckConstraint("ck_wave_window", "window_closes_days > window_opens_days");
                    table.ForeignKey(
                        name: "fk_waves_studies_study_id",
                        column: x => x.study_id,
                        principalTable: "studies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "wave_instruments",
                columns: table => new
                {
                    wave_id = table.Column<int>(type: "integer", nullable: false),
                    instrument_id = table.Column<int>(type: "integer", nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_wave_instruments", x => new { x.wave_id, x.instrument_id });
                    table.ForeignKey(
                        name: "fk_wave_instruments_instruments_instrument_id",
                        column: x => x.instrument_id,
                        principalTable: "instruments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_wave_instruments_waves_wave_id",
                        column: x => x.wave_id,
                        principalTable: "waves",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_access_tokens_invitation_id",
                table: "access_tokens",
                column: "invitation_id");

            migrationBuilder.CreateIndex(
                name: "ix_answers_item_id",
                table: "answers",
                column: "item_id");

            migrationBuilder.CreateIndex(
                name: "ix_answers_response_id_item_id",
                table: "answers",
                columns: new[] { "response_id", "item_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_api_tokens_hash",
                table: "api_tokens",
                column: "hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_api_tokens_staff_user_id",
                table: "api_tokens",
                column: "staff_user_id");

            migrationBuilder.CreateIndex(
                name: "ix_audit_entries_action_at",
                table: "audit_entries",
                columns: new[] { "action", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_audit_entries_at",
                table: "audit_entries",
                column: "at");

            migrationBuilder.CreateIndex(
                name: "ix_audit_entries_staff_user_id",
                table: "audit_entries",
                column: "staff_user_id");

            migrationBuilder.CreateIndex(
                name: "ix_cohorts_study_id_code",
                table: "cohorts",
                columns: new[] { "study_id", "code" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_contact_details_study_id_email",
                table: "contact_details",
                columns: new[] { "study_id", "email" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_instrument_versions_instrument_id_version",
                table: "instrument_versions",
                columns: new[] { "instrument_id", "version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_instruments_study_id_code",
                table: "instruments",
                columns: new[] { "study_id", "code" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_invitation_open_closes_at",
                table: "invitations",
                column: "closes_at",
                filter: "status IN ('planned', 'sent', 'opened', 'in_progress')");

            migrationBuilder.CreateIndex(
                name: "ix_invitations_participant_id_wave_id",
                table: "invitations",
                columns: new[] { "participant_id", "wave_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_invitations_study_id",
                table: "invitations",
                column: "study_id");

            migrationBuilder.CreateIndex(
                name: "ix_invitations_wave_id_status",
                table: "invitations",
                columns: new[] { "wave_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_item_options_item_id_code",
                table: "item_options",
                columns: new[] { "item_id", "code" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_items_instrument_version_id_code",
                table: "items",
                columns: new[] { "instrument_version_id", "code" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_message_queued_next_attempt_at",
                table: "messages",
                column: "next_attempt_at",
                filter: "status = 'queued'");

            migrationBuilder.CreateIndex(
                name: "ix_messages_invitation_id_kind_step",
                table: "messages",
                columns: new[] { "invitation_id", "kind", "step" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_participants_cohort_id",
                table: "participants",
                column: "cohort_id");

            migrationBuilder.CreateIndex(
                name: "ix_participants_study_id_code",
                table: "participants",
                columns: new[] { "study_id", "code" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_protocol_versions_imported_by_staff_user_id",
                table: "protocol_versions",
                column: "imported_by_staff_user_id");

            migrationBuilder.CreateIndex(
                name: "ix_protocol_versions_study_id_version",
                table: "protocol_versions",
                columns: new[] { "study_id", "version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_responses_instrument_version_id",
                table: "responses",
                column: "instrument_version_id");

            migrationBuilder.CreateIndex(
                name: "ix_responses_invitation_id_instrument_version_id",
                table: "responses",
                columns: new[] { "invitation_id", "instrument_version_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_scores_instrument_version_id_code",
                table: "scores",
                columns: new[] { "instrument_version_id", "code" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_staff_users_email",
                table: "staff_users",
                column: "email",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_studies_code",
                table: "studies",
                column: "code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_studies_current_protocol_version_id",
                table: "studies",
                column: "current_protocol_version_id");

            migrationBuilder.CreateIndex(
                name: "ix_wave_instruments_instrument_id",
                table: "wave_instruments",
                column: "instrument_id");

            migrationBuilder.CreateIndex(
                name: "ix_waves_study_id_code",
                table: "waves",
                columns: new[] { "study_id", "code" },
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "fk_access_tokens_invitations_invitation_id",
                table: "access_tokens",
                column: "invitation_id",
                principalTable: "invitations",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "fk_answers_items_item_id",
                table: "answers",
                column: "item_id",
                principalTable: "items",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_answers_responses_response_id",
                table: "answers",
                column: "response_id",
                principalTable: "responses",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "fk_cohort_anchors_cohorts_cohort_id",
                table: "cohort_anchors",
                column: "cohort_id",
                principalTable: "cohorts",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "fk_cohorts_studies_study_id",
                table: "cohorts",
                column: "study_id",
                principalTable: "studies",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "fk_contact_details_participants_participant_id",
                table: "contact_details",
                column: "participant_id",
                principalTable: "participants",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "fk_contact_details_studies_study_id",
                table: "contact_details",
                column: "study_id",
                principalTable: "studies",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "fk_instrument_versions_instruments_instrument_id",
                table: "instrument_versions",
                column: "instrument_id",
                principalTable: "instruments",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "fk_instruments_studies_study_id",
                table: "instruments",
                column: "study_id",
                principalTable: "studies",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "fk_invitations_participants_participant_id",
                table: "invitations",
                column: "participant_id",
                principalTable: "participants",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "fk_invitations_studies_study_id",
                table: "invitations",
                column: "study_id",
                principalTable: "studies",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "fk_invitations_waves_wave_id",
                table: "invitations",
                column: "wave_id",
                principalTable: "waves",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_participant_anchors_participants_participant_id",
                table: "participant_anchors",
                column: "participant_id",
                principalTable: "participants",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "fk_participants_studies_study_id",
                table: "participants",
                column: "study_id",
                principalTable: "studies",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "fk_protocol_versions_studies_study_id",
                table: "protocol_versions",
                column: "study_id",
                principalTable: "studies",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_protocol_versions_staff_users_imported_by_staff_user_id",
                table: "protocol_versions");

            migrationBuilder.DropForeignKey(
                name: "fk_protocol_versions_studies_study_id",
                table: "protocol_versions");

            migrationBuilder.DropTable(
                name: "access_tokens");

            migrationBuilder.DropTable(
                name: "answers");

            migrationBuilder.DropTable(
                name: "api_tokens");

            migrationBuilder.DropTable(
                name: "audit_entries");

            migrationBuilder.DropTable(
                name: "cohort_anchors");

            migrationBuilder.DropTable(
                name: "contact_details");

            migrationBuilder.DropTable(
                name: "data_protection_keys");

            migrationBuilder.DropTable(
                name: "item_options");

            migrationBuilder.DropTable(
                name: "messages");

            migrationBuilder.DropTable(
                name: "participant_anchors");

            migrationBuilder.DropTable(
                name: "scores");

            migrationBuilder.DropTable(
                name: "wave_instruments");

            migrationBuilder.DropTable(
                name: "responses");

            migrationBuilder.DropTable(
                name: "items");

            migrationBuilder.DropTable(
                name: "invitations");

            migrationBuilder.DropTable(
                name: "instrument_versions");

            migrationBuilder.DropTable(
                name: "participants");

            migrationBuilder.DropTable(
                name: "waves");

            migrationBuilder.DropTable(
                name: "instruments");

            migrationBuilder.DropTable(
                name: "cohorts");

            migrationBuilder.DropTable(
                name: "staff_users");

            migrationBuilder.DropTable(
                name: "studies");

            migrationBuilder.DropTable(
                name: "protocol_versions");
        }
    }
}
