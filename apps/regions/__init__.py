"""Region pages: /regions/ lists the states and regions that have agencies, and
/regions/<country>/<region>/ shows one region's agencies, counts and charts."""
