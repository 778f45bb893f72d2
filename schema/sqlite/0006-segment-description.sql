-- A saved segment says what it is for (`custdb segment add NAME --where … --description …`): the
-- definition alone ("rfm_recency <= 2 and orders_count >= 3") does not tell the next person why it
-- exists. Empty for segments saved before.
ALTER TABLE segments ADD COLUMN description TEXT;
