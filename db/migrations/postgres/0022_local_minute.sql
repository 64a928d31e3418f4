-- local_minute as one expression, so that PostgreSQL inlines it into the
-- query that calls it: written with a FROM it was run as a function call
-- per row, 67 µs each, and a claim's pick, which checks the window of
-- every callback it walks past (those other claims hold, too), called it
-- about twenty times (4 µs a row inlined, 100,000 rows in 0.4 s against
-- 6.7 s). The local minute is the minutes since the local midnight: the
-- local wall time's epoch, in whole minutes, modulo a day.
CREATE OR REPLACE FUNCTION local_minute(tz text, unix bigint) RETURNS bigint LANGUAGE sql STABLE AS $$
    SELECT (floor(extract(epoch FROM to_timestamp(unix) AT TIME ZONE dangol_zone(tz)) / 60)::bigint % 1440 + 1440) % 1440
$$;
