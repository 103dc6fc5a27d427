-- The consumer that keeps buyers' saved matches is called `matcher` now (it was `matchmaker`):
-- its cursor, lease, count and dead letters carry over under the new name.
UPDATE consumer_cursors SET consumer = 'matcher' WHERE consumer = 'matchmaker';
UPDATE dead_letters SET consumer = 'matcher' WHERE consumer = 'matchmaker';
