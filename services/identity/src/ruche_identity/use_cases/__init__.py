"""Identity's use cases, split by noun. Each takes the database and the moment (`now`) as arguments, applies the
domain's rules and stores the new state with its events and mails in single-document writes; they are the only
writers. The read queries the routes need are here too, so routes never reach the repository."""
